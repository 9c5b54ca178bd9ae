namespace PiiScanner.Sources;

/// <summary>
/// Produces the items of one scan root (a directory tree, a disk image, a single file).
/// Implementations may enumerate in parallel and write to the <see cref="ItemWriter"/> from several threads;
/// every entry met must be written, including the ones that cannot be read (with a skip reason).
/// </summary>
public interface IScanSource
{
    /// <summary>A short description of the root for summaries (never contains file contents).</summary>
    string Description { get; }

    /// <summary>Writes every item of the root to <paramref name="output"/>; returns when enumeration is done.</summary>
    Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken);
}

/// <summary>Where a source pushes its items. Thread-safe. Applies back-pressure when the workers are behind.</summary>
public abstract class ItemWriter
{
    /// <summary>Queues an item for scanning; waits while the queue is full.</summary>
    public abstract ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken);
}
