namespace PiiScanner.Extraction;

/// <summary>
/// What happened while one container member (or, for solid archives, one run of members) was read: bytes
/// produced, compressed bytes consumed, the limit that tripped, whether the underlying data failed to decode.
/// Written by <see cref="MemberStream"/> on the reading thread; read by the container after the child returns.
/// </summary>
internal sealed class MemberMeter
{
    private readonly Func<long>? _compressedRead;

    /// <summary>Creates a meter.</summary>
    /// <param name="compressedRead">
    /// Compressed bytes actually read from the container for this member so far (for the expansion ratio), or
    /// null when the member is not compressed (tar members, mail attachments).
    /// </param>
    public MemberMeter(Func<long>? compressedRead) => _compressedRead = compressedRead;

    /// <summary>Bytes produced by the member stream.</summary>
    public long Produced { get; set; }

    /// <summary>Compressed bytes read for the member so far (0 when not compressed).</summary>
    public long CompressedRead => _compressedRead?.Invoke() ?? 0;

    /// <summary>True when the member counts against the expansion budget (it is decompressed).</summary>
    public bool Compressed => _compressedRead is not null;

    /// <summary>The limit that tripped while reading, or null.</summary>
    public string? Tripped { get; set; }

    /// <summary>True when the underlying data could not be decoded (corrupt, truncated).</summary>
    public bool Failed { get; set; }

    /// <summary><c>truncated</c> or <c>corrupt</c> when <see cref="Failed"/>, as far as the reader could tell.</summary>
    public string? FailureReason { get; set; }

    /// <summary>
    /// True when the container stated the member's CRC-32 and size, so its bytes can be checked: a member that then
    /// <see cref="Failed"/> (a mismatch, or data that would not decode) holds bytes the archive never stored, and
    /// nothing read from it is evidence.
    /// </summary>
    public bool Checked { get; init; }
}

/// <summary>
/// Read-only, forward-only view of a container member's decompressed bytes that counts every byte actually
/// produced against the <see cref="ExtractionBudget"/> (archives can lie about sizes) and checks the member's
/// expansion ratio against the compressed bytes actually consumed. Throws <see cref="ExtractionLimitException"/>
/// when a limit trips, and records it (and any decoding failure) in its <see cref="MemberMeter"/>.
/// Not thread-safe; one reader.
/// </summary>
internal sealed class MemberStream : Stream
{
    private readonly Stream _inner;
    private readonly ExtractionBudget _budget;
    private readonly bool _ownsInner;
    private readonly Func<long, bool>? _completeAt;
    private readonly (uint Crc32, long Length)? _expected;
    private readonly System.IO.Hashing.Crc32? _crc;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The member's bytes.</param>
    /// <param name="budget">The item's budget.</param>
    /// <param name="meter">Receives what happened.</param>
    /// <param name="ownsInner">Dispose <paramref name="inner"/> with this stream.</param>
    /// <param name="completeAt">
    /// Called with the bytes produced when the inner stream ends; false means the member is truncated (a tar
    /// member shorter than its header says, a gzip stream cut before its trailer), and the read throws
    /// <see cref="EndOfStreamException"/> instead of ending quietly. Null: no check.
    /// </param>
    /// <param name="expected">
    /// The CRC-32 and size the container states for the member (zip): when the bytes produced differ, the read at the
    /// end throws <see cref="InvalidDataException"/> and the meter records the member as corrupt. Null: no check.
    /// </param>
    public MemberStream(Stream inner, ExtractionBudget budget, MemberMeter meter, bool ownsInner, Func<long, bool>? completeAt = null, (uint Crc32, long Length)? expected = null)
    {
        _inner = inner;
        _budget = budget;
        Meter = meter;
        _ownsInner = ownsInner;
        _completeAt = completeAt;
        _expected = expected;
        _crc = expected is null ? null : new System.IO.Hashing.Crc32();
    }

    /// <summary>True once the member has been read to its end.</summary>
    public bool AtEnd { get; private set; }

    /// <summary>The meter this stream reports to.</summary>
    public MemberMeter Meter { get; }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => Meter.Produced;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        BeforeRead();
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            Meter.Failed = true;
            Meter.FailureReason ??= ex is EndOfStreamException ? "truncated" : "corrupt";
            throw;
        }

        _crc?.Append(buffer[..Math.Max(read, 0)]);
        AfterRead(read);
        return read;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        BeforeRead();
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            Meter.Failed = true;
            Meter.FailureReason ??= ex is EndOfStreamException ? "truncated" : "corrupt";
            throw;
        }

        _crc?.Append(buffer.Span[..Math.Max(read, 0)]);
        AfterRead(read);
        return read;
    }

    /// <summary>Reads and discards the rest of the member (still counted), stopping at the first limit.</summary>
    public void Drain()
    {
        var buffer = new byte[81920];
        while (Read(buffer) > 0)
        {
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsDecodingFailure(Exception ex)
        => ex is not ExtractionLimitException and not OperationCanceledException;

    private void BeforeRead()
    {
        if (Meter.Tripped is { } tripped)
        {
            throw new ExtractionLimitException(tripped);
        }

        try
        {
            _budget.ThrowIfExhausted();
        }
        catch (ExtractionLimitException ex)
        {
            Meter.Tripped = ex.LimitName;
            throw;
        }
    }

    private void AfterRead(int read)
    {
        if (read <= 0)
        {
            if (_completeAt is not null && !_completeAt(Meter.Produced))
            {
                Meter.Failed = true;
                Meter.FailureReason = "truncated";
                throw new EndOfStreamException("container member ends before its stated length");
            }

            if (_expected is { } expected && !AtEnd && (Meter.Produced != expected.Length || _crc!.GetCurrentHashAsUInt32() != expected.Crc32))
            {
                Meter.Failed = true;
                Meter.FailureReason = Meter.Produced != expected.Length ? "size-mismatch" : "crc-mismatch";
                throw new InvalidDataException("the member's bytes do not match the CRC-32 and size the archive states");
            }

            AtEnd = true;
            return;
        }

        Meter.Produced += read;
        if (!Meter.Compressed)
        {
            return;
        }

        try
        {
            _budget.AddExpanded(read);
        }
        catch (ExtractionLimitException ex)
        {
            Meter.Tripped = ex.LimitName;
            throw;
        }

        if (Meter.Produced > ExtractionBudget.RatioFloorBytes
            && Meter.Produced > _budget.Limits.MaxExpansionRatio * Math.Max(Meter.CompressedRead, 1))
        {
            Meter.Tripped = LimitNames.Ratio;
            throw new ExtractionLimitException(LimitNames.Ratio);
        }
    }
}

/// <summary>
/// Read-only pass-through that counts the bytes read from the underlying stream (the compressed side of a
/// container), keeping seeking when the underlying stream can seek. Not thread-safe.
/// </summary>
internal sealed class CountingStream : Stream
{
    private readonly Stream _inner;

    /// <summary>Wraps <paramref name="inner"/> without taking ownership.</summary>
    public CountingStream(Stream inner) => _inner = inner;

    private readonly byte[] _tail = new byte[8];

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The last (up to) 8 bytes read, oldest first (a gzip trailer once the input is at its end).</summary>
    public ReadOnlySpan<byte> Tail => _tail.AsSpan((int)Math.Max(0, 8 - BytesRead));

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => _inner.CanSeek;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _inner.Length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Track(buffer[..read]);
        return read;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Track(buffer.Span[..read]);
        return read;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    private void Track(ReadOnlySpan<byte> read)
    {
        BytesRead += read.Length;
        if (read.Length >= 8)
        {
            read[^8..].CopyTo(_tail);
        }
        else if (read.Length > 0)
        {
            _tail.AsSpan(read.Length).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(8 - read.Length));
        }
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
