using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using PiiScanner.Index;

namespace PiiScanner;

/// <summary>
/// Delivers finished items to the sinks: each sink has its own bounded channel and one reader that awaits
/// <see cref="IScanSink.OnItemAsync"/> for each item in turn, so a sink is never called concurrently with itself,
/// sinks do not wait for one another, and workers wait only when a sink falls a whole channel behind. A top-level
/// item's results go into each channel as one batch, in the order the item produced them.
/// </summary>
internal sealed class SinkDispatch
{
    // Batches a sink may fall behind before the workers wait for it.
    private const int Capacity = 64;

    private readonly Channel<IReadOnlyList<ItemResult>>[] _channels;
    private readonly Task[] _readers;

    /// <summary>Starts one reader per sink; a sink that throws cancels <paramref name="onFailure"/> (the scan).</summary>
    public SinkDispatch(IReadOnlyList<IScanSink> sinks, CancellationTokenSource onFailure, CancellationToken cancellationToken)
    {
        _channels = new Channel<IReadOnlyList<ItemResult>>[sinks.Count];
        _readers = new Task[sinks.Count];
        for (var i = 0; i < sinks.Count; i++)
        {
            var channel = Channel.CreateBounded<IReadOnlyList<ItemResult>>(new BoundedChannelOptions(Capacity)
            {
                SingleReader = true,
                SingleWriter = false,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _channels[i] = channel;
            var sink = sinks[i];
            // Off the caller's thread: a sink that blocks must not hold up the scan.
            _readers[i] = Task.Run(() => ReadAsync(sink, channel, onFailure, cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>Queues one top-level item's results for every sink.</summary>
    public async ValueTask PostAsync(IReadOnlyList<ItemResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return;
        }

        foreach (var channel in _channels)
        {
            if (!channel.Writer.TryWrite(results))
            {
                try
                {
                    await channel.Writer.WriteAsync(results, cancellationToken).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    // The sink failed; its reader holds the exception and the scan is being cancelled.
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// No more items: waits until every sink has taken every queued item (or stopped), then throws the first sink
    /// failure, in sink order, if there was one. A sink stopped by cancellation is no failure here.
    /// </summary>
    public async Task CompleteAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Writer.TryComplete();
        }

        await Task.WhenAll(_readers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_readers.FirstOrDefault(r => r.IsFaulted)?.Exception?.InnerException is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private static async Task ReadAsync(IScanSink sink, Channel<IReadOnlyList<ItemResult>> channel, CancellationTokenSource onFailure, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in batch)
                {
                    await sink.OnItemAsync(item, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            channel.Writer.TryComplete(ex);
            await onFailure.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
