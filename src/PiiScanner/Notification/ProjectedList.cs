using System.Collections;
using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>
/// A read-only list whose elements are computed from another list's when read, each time they are read: nothing
/// is held but the source and the function (over a streamed index, the projection streams too).
/// <paramref name="indexes"/>, when given, picks and orders the source's elements.
/// </summary>
internal sealed class ProjectedList<TSource, TResult>(IReadOnlyList<TSource> source, Func<TSource, TResult> project, IReadOnlyList<int>? indexes = null)
    : IReadOnlyList<TResult>
{
    public int Count => indexes?.Count ?? source.Count;

    public TResult this[int index] => project(source[indexes is null ? index : indexes[index]]);

    public IEnumerator<TResult> GetEnumerator()
    {
        if (indexes is null)
        {
            foreach (var item in source)
            {
                yield return project(item);
            }
        }
        else if (source is SpilledIndividuals spilled && spilled.ReadAt(indexes) is IEnumerable<TSource> picked)
        {
            foreach (var item in picked)
            {
                yield return project(item);
            }
        }
        else
        {
            foreach (var i in indexes)
            {
                yield return project(source[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
