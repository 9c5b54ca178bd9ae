namespace PiiScanner.Sources.SleuthKit;

/// <summary>Reads bytes at absolute positions (an image file, an image opened by libtsk, a file inside it). Owned by one stream.</summary>
internal interface IPositionalReader : IDisposable
{
    /// <summary>Reads at <paramref name="position"/>; returns the count read, 0 at the end.</summary>
    int Read(long position, Span<byte> buffer);

    /// <summary>The same, for readers with real asynchronous I/O; others complete synchronously.</summary>
    ValueTask<int> ReadAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(position, buffer.Span));
    }
}

/// <summary>
/// A read-only, seekable window <c>[start, start + length)</c> over a <see cref="IPositionalReader"/>: pages of a
/// single-file raw image read directly (<see cref="OpenFile"/>), ranges of any image read through libtsk (raw pages,
/// file slack), a file's content read through libtsk (start 0, the attribute's length). Disposes the reader.
/// </summary>
internal sealed class WindowStream(IPositionalReader reader, long start, long length) : Stream
{
    private long _position;
    private bool _disposed;

    public override bool CanRead => !_disposed;

    public override bool CanSeek => !_disposed;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    /// <summary>A window of a file opened as evidence (read-only, <c>O_NOATIME</c> where permitted), clipped to its length.</summary>
    public static WindowStream OpenFile(string path, long start, long length)
    {
        var file = EvidenceFile.Open(path);
        var clipped = Math.Max(0, Math.Min(length, file.Length - start));
        return new WindowStream(new FileReader(file), start, clipped);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var n = (int)Math.Min(buffer.Length, length - _position);
        if (n <= 0)
        {
            return 0;
        }

        var read = reader.Read(start + _position, buffer[..n]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var n = (int)Math.Min(buffer.Length, length - _position);
        if (n <= 0)
        {
            return 0;
        }

        var read = await reader.ReadAsync(start + _position, buffer[..n], cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            reader.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class FileReader(FileStream file) : IPositionalReader
    {
        public int Read(long position, Span<byte> buffer) => RandomAccess.Read(file.SafeFileHandle, buffer, position);

        public ValueTask<int> ReadAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
            => RandomAccess.ReadAsync(file.SafeFileHandle, buffer, position, cancellationToken);

        public void Dispose() => file.Dispose();
    }
}
