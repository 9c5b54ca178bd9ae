using System.Diagnostics;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>
/// The standard output of a running tool as a forward-only, read-only stream, optionally cut at a byte limit.
/// Disposing it before the end kills the tool; reaching the end checks the exit code.
/// </summary>
internal sealed class ProcessOutputStream : Stream
{
    private readonly Process _process;
    private readonly string _tool;
    private readonly TskTools.StderrBuffer _stderr;
    private readonly Stream _stdout;
    private long _remaining;
    private long _position;
    private bool _ended;

    public ProcessOutputStream(Process process, string tool, TskTools.StderrBuffer stderr, long? limit)
    {
        _process = process;
        _tool = tool;
        _stderr = stderr;
        _stdout = process.StandardOutput.BaseStream;
        _remaining = limit ?? long.MaxValue;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        var n = _stdout.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        return Advance(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        var n = await _stdout.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        return Advance(n);
    }

    private int Advance(int n)
    {
        _position += n;
        _remaining -= n;
        if (n == 0)
        {
            _ended = true;
            _process.WaitForExit();
            if (_process.ExitCode != 0)
            {
                throw new ToolFailedException(_tool, _process.ExitCode, _stderr.Text);
            }
        }
        else if (_remaining == 0)
        {
            // Enough bytes: the tool may have more to say, but it is no longer needed.
            _ended = true;
            TskTools.TryKill(_process);
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            TskTools.TryKill(_process);
            _stdout.Dispose();
            _process.Dispose();
        }

        base.Dispose(disposing);
    }
}
