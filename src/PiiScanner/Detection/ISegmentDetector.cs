using PiiScanner.Extraction;

namespace PiiScanner.Detection;

/// <summary>
/// A detector written in code for what a single pattern rule cannot express (state-aware licence numbers,
/// vocabulary matching, phone numbers). Runs on every segment next to the YAML rules.
/// Implementations are immutable and thread-safe.
/// </summary>
public interface ISegmentDetector
{
    /// <summary>Appends the findings in <paramref name="segment"/> to <paramref name="findings"/>.</summary>
    /// <param name="segment">The segment (text and/or fields).</param>
    /// <param name="segmentIndex">Index of the segment in its item (document order).</param>
    /// <param name="findings">Where findings go.</param>
    void Detect(Segment segment, long segmentIndex, List<Finding> findings);
}
