using Microsoft.Win32.SafeHandles;

namespace PiiScanner.Resolution;

/// <summary>
/// A temporary store of bytes written once, front to back, then read any number of times (resolution's spilled
/// records and individuals): an owner-only file in <c>directory</c> (unlinked as soon as it is created on Unix, so
/// a killed scan leaves nothing behind; deleted on close on Windows), or memory when no directory is given. Reads
/// are positional, so several readers may read at once once writing is done. Not thread-safe while writing.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private const int BufferSize = 1 << 16;

    private readonly FileStream? _file;
    private readonly MemoryStream? _memory;
    private readonly BufferedStream? _buffered;

    private SpillFile(FileStream? file, MemoryStream? memory)
    {
        _file = file;
        _memory = memory;
        _buffered = file is null ? null : new BufferedStream(file, BufferSize);
        Writer = new BinaryWriter((Stream?)_buffered ?? memory!, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Appends to the store.</summary>
    public BinaryWriter Writer { get; }

    /// <summary>Bytes written so far (flushed or not).</summary>
    public long Length => _memory?.Length ?? _buffered!.Position;

    /// <summary>A new store in <paramref name="directory"/>, or in memory when it is null.</summary>
    public static SpillFile Create(string? directory)
    {
        if (directory is null)
        {
            return new SpillFile(null, new MemoryStream());
        }

        var path = Path.Combine(directory, ".resolution." + Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
            Options = OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // Open handles keep the data; the name goes at once.
            File.Delete(path);
        }

        return new SpillFile(file, null);
    }

    /// <summary>
    /// A reader from <paramref name="offset"/> of what has been written (written data is flushed first), reading
    /// ahead <paramref name="bufferSize"/> bytes at a time (small for one record, large for a pass).
    /// </summary>
    public BinaryReader OpenRead(long offset = 0, int bufferSize = BufferSize)
    {
        Writer.Flush();
        Stream stream = _file is not null
            ? new BufferedStream(new PositionalStream(_file.SafeFileHandle, offset, _buffered!.Position), bufferSize)
            : new MemoryStream(_memory!.GetBuffer(), (int)offset, (int)(_memory.Length - offset), writable: false);
        return new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: false);
    }

    public void Dispose()
    {
        Writer.Dispose();
        _buffered?.Dispose();
        _file?.Dispose();
        _memory?.Dispose();
    }

    /// <summary>Reads a file handle from an offset with positional reads (its own position, shared handle).</summary>
    private sealed class PositionalStream(SafeFileHandle handle, long position, long end) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => end;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var want = (int)Math.Min(buffer.Length, end - position);
            if (want <= 0)
            {
                return 0;
            }

            var n = RandomAccess.Read(handle, buffer[..want], position);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
