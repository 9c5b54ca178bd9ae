using System.Buffers;
using System.Security.Cryptography;

namespace PiiScanner.Sources;

/// <summary>
/// A read-only view of an item's stream that computes its SHA-256 and counts the bytes while the extractor
/// reads, whatever its access pattern: bytes are hashed the first time they are read in order, and
/// <see cref="CompleteAsync"/> reads whatever was not reached. Seekable when the inner stream is.
/// Not thread-safe. Owns the inner stream unless told to leave it open.
/// </summary>
internal sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _hashedUpTo;
    private long _position;
    private bool _complete;

    public HashingReadStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes hashed so far (the item's length once complete).</summary>
    public long BytesHashed => _hashedUpTo;

    public override bool CanRead => true;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = _inner.Seek(offset, origin);
        return _position;
    }

    /// <summary>
    /// Reads the bytes not yet hashed (up to the end of the stream) and returns the SHA-256 as lower-case hex.
    /// </summary>
    public async ValueTask<string> CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_complete)
        {
            if (_inner.CanSeek)
            {
                _position = _inner.Seek(_hashedUpTo, SeekOrigin.Begin);
            }

            // Pooled: a fresh 128 KB array per item is a large-object allocation, and on a share of small files those
            // were most of the scan's garbage collections.
            var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
            try
            {
                while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _complete = true;
        }

        return Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }

            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Account(ReadOnlySpan<byte> read)
    {
        var start = _position;
        var end = start + read.Length;
        if (start <= _hashedUpTo && end > _hashedUpTo)
        {
            _hash.AppendData(read[(int)(_hashedUpTo - start)..]);
            _hashedUpTo = end;
        }

        _position = end;
    }
}
