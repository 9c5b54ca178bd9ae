namespace PiiScanner.Index;

/// <summary>
/// An output file being written: an owner-only temporary file beside its final name, renamed over it by
/// <see cref="Commit"/> once flushed to disk; removed at dispose if never committed. The one way an output
/// file is written (<see cref="OwnerOnlyFile.Write"/> is this for a file written in one go).
/// </summary>
internal sealed class StagedFile : IDisposable
{
    private readonly string _final;
    private bool _committed;

    public StagedFile(string directory, string name)
    {
        Name = name;
        _final = Path.Combine(directory, name);
        TempPath = OwnerOnlyFile.NewTempPath(_final);
        Stream = OwnerOnlyFile.CreateNew(TempPath);
    }

    public string Name { get; }

    public string TempPath { get; }

    public FileStream Stream { get; }

    public void Commit()
    {
        if (Stream.CanWrite)
        {
            Stream.Flush(flushToDisk: true);
            Stream.Dispose();
        }

        OwnerOnlyFile.Commit(TempPath, _final);
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            OwnerOnlyFile.TryDelete(TempPath);
        }
    }
}
