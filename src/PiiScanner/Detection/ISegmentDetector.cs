using PiiScanner.Detection.Matching;

namespace PiiScanner.Detection;

/// <summary>
/// A detector written in code for what a single pattern rule cannot express (state-aware licence numbers,
/// vocabulary matching, phone numbers). It declares the words its candidates start from (<see cref="Words"/>) and
/// the digit shapes they are written in (<see cref="DigitShapes"/>); the engine finds every detector's words and
/// shapes, and every rule's, in one pass over each text and hands the detector the texts with those hits
/// (<see cref="TextUnit.Find"/>, <see cref="TextUnit.Has(DigitShapeList)"/>): no detector scans a text on its own.
/// Implementations are immutable and thread-safe.
/// </summary>
public interface ISegmentDetector
{
    /// <summary>The word lists the detector reads hits of: keywords, context words, vocabularies.</summary>
    IReadOnlyList<WordList> Words { get; }

    /// <summary>The digit shapes the detector asks about (<see cref="TextUnit.Has(DigitShapeList)"/>); none by default.</summary>
    IReadOnlyList<DigitShapeList> DigitShapes => [];

    /// <summary>Appends the findings in <paramref name="scan"/> to <paramref name="findings"/>.</summary>
    /// <param name="scan">The segment, its index, and its texts as the engine scanned them.</param>
    /// <param name="findings">Where findings go.</param>
    void Detect(SegmentScan scan, List<Finding> findings);
}

/// <summary>
/// A detector that can tell from the engine's one pass alone that a plain line of free text (a line with no label,
/// header or fields) holds nothing for it, so the engine need not make the line a string at all. Exact, never a
/// guess: <see cref="MayFind"/> is true whenever <see cref="ISegmentDetector.Detect"/> could report a finding on such
/// a line. A detector without it keeps every line a segment.
/// </summary>
internal interface IPlainLineScreen
{
    /// <summary>Whether a plain line may hold a finding of this detector.</summary>
    /// <param name="text">The line.</param>
    /// <param name="line">The one pass over it.</param>
    bool MayFind(ReadOnlySpan<char> text, in PlainLine line);
}

/// <summary>The engine's one pass over a plain line, for <see cref="IPlainLineScreen"/>.</summary>
internal readonly struct PlainLine(DigitProfile digits, bool hasWords, DigitShapeSet shapes)
{
    /// <summary>Its digit runs, chains and shapes.</summary>
    public DigitProfile Digits => digits;

    /// <summary>Whether a declared word is in it.</summary>
    public bool HasWords => hasWords;

    /// <summary>Whether it holds a shape of <paramref name="list"/> (a list the engine does not serve: yes).</summary>
    public bool Has(DigitShapeList list) => shapes.MaskOf(list) is not { } mask || DigitShapeSet.Holds(digits.Shapes, mask);
}
