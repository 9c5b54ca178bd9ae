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
