namespace PiiScanner.Index;

/// <summary>
/// A sink with outputs that depend on the items alone (not on the resolved individuals): the engine calls
/// <see cref="BeginItems"/> once the last item is journaled and before resolution starts, so those outputs are
/// written on another core while the items are resolved. Only when the items are resolved afresh (not for a rescan
/// that carries the previous resolution over). The sink's <see cref="IScanSink.OnCompletedAsync"/> waits for that
/// work and commits it with the rest.
/// </summary>
internal interface IItemOutputSink
{
    /// <summary>Starts writing in the background and returns; <paramref name="items"/> is safe for several readers.</summary>
    void BeginItems(IItemResultReader items, CancellationToken cancellationToken);
}
