using PiiScanner.Index;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests;

/// <summary>How the scanner hands finished items to sinks: asynchronously, one queue per sink, no lock across sinks.</summary>
public sealed class ScannerSinkTests
{
    [Fact(Timeout = 120_000)]
    public async Task ASinkWaitingInOnItemAsyncDoesNotHoldUpTheOtherSinks()
    {
        using var temp = new TempFolder();
        var share = Share(temp, files: 3);

        // The waiting sink returns from its first item only once the other sink has had every item: with one lock
        // around all sinks (or sinks called one after the other) the other sink would never get them.
        var other = new RecordingSink();
        var waiting = new RecordingSink { Gate = other.AllSeen(3) };
        var result = await new ScannerBuilder().WithThreads(2).Build().ScanAsync([share], [waiting, other]);

        Assert.Equal(3, result.Items.Count);
        Assert.Equal(result.Items.Select(i => i.File.Path).Order(StringComparer.Ordinal), waiting.Paths.Order(StringComparer.Ordinal));
        Assert.Equal(result.Items.Select(i => i.File.Path).Order(StringComparer.Ordinal), other.Paths.Order(StringComparer.Ordinal));
        Assert.Equal(1, waiting.MaxConcurrent);
        Assert.True(waiting.CompletedAfterItems && other.CompletedAfterItems);
    }

    [Fact]
    public async Task OneSinkIsNeverCalledConcurrentlyWithItself()
    {
        using var temp = new TempFolder();
        var share = Share(temp, files: 40);
        var sink = new RecordingSink { YieldInside = true };

        await new ScannerBuilder().WithThreads(4).Build().ScanAsync([share], [sink]);

        Assert.Equal(40, sink.Paths.Count);
        Assert.Equal(1, sink.MaxConcurrent);
    }

    [Fact]
    public async Task ASinkThatThrowsFailsTheScanWithItsException()
    {
        using var temp = new TempFolder();
        var share = Share(temp, files: 5);

        var scan = new ScannerBuilder().WithThreads(2).Build().ScanAsync([share], [new RecordingSink(), new ThrowingSink()]);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => scan);
        Assert.Equal("sink broke", ex.Message);
    }

    [Fact]
    public async Task AMissingSecondRootFailsTheReturnedTaskBeforeAnySinkStarts()
    {
        using var temp = new TempFolder();
        var share = Share(temp, files: 1);
        var sink = new RecordingSink();

        // Nothing is thrown at the call; the task fails, and no sink was told a scan was starting.
        var scan = new ScannerBuilder().WithThreads(1).Build().ScanAsync([share, temp.Combine("gone")], [sink]);

        var ex = await Assert.ThrowsAsync<ScanSourceException>(() => scan);
        Assert.Contains("gone", ex.Message, StringComparison.Ordinal);
        Assert.False(sink.Started);
        Assert.Empty(sink.Paths);
    }

    private static string Share(TempFolder temp, int files)
    {
        var share = temp.Folder("share");
        for (var i = 0; i < files; i++)
        {
            File.WriteAllText(Path.Combine(share, $"f{i:00}.txt"), $"note {i}\n");
        }

        return share;
    }

    private sealed class RecordingSink : IScanSink
    {
        private readonly Lock _lock = new();
        private readonly List<string> _paths = [];
        private TaskCompletionSource? _allSeen;
        private int _expected;
        private int _inside;
        private bool _gateDone;

        public Task? Gate { get; init; }

        public bool YieldInside { get; init; }

        public int MaxConcurrent { get; private set; }

        public bool CompletedAfterItems { get; private set; }

        public bool Started { get; private set; }

        public IReadOnlyList<string> Paths
        {
            get
            {
                lock (_lock)
                {
                    return [.. _paths];
                }
            }
        }

        public Task AllSeen(int count)
        {
            _expected = count;
            _allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _allSeen.Task;
        }

        public async ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken)
        {
            var inside = Interlocked.Increment(ref _inside);
            lock (_lock)
            {
                MaxConcurrent = Math.Max(MaxConcurrent, inside);
            }

            if (Gate is not null && !_gateDone)
            {
                _gateDone = true;
                await Gate.WaitAsync(cancellationToken);
            }

            if (YieldInside)
            {
                await Task.Yield();
            }

            int seen;
            lock (_lock)
            {
                _paths.Add(item.File.Path);
                seen = _paths.Count;
            }

            Interlocked.Decrement(ref _inside);
            if (_allSeen is not null && seen == _expected)
            {
                _allSeen.TrySetResult();
            }
        }

        public ValueTask OnStartingAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken)
        {
            CompletedAfterItems = Paths.Count == result.Items.Count;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingSink : IScanSink
    {
        public ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken) => throw new InvalidOperationException("sink broke");

        public ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
