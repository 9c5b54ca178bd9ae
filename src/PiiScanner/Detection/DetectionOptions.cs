namespace PiiScanner.Detection;

/// <summary>Options of a <see cref="DetectionEngine"/>. Immutable.</summary>
internal sealed record DetectionOptions
{
    /// <summary>
    /// The "today" dates of birth are judged against (two-digit year pivot, no birth in the future, age at most
    /// 120). When null, the date of <see cref="TimeProvider"/> when the engine is built is used, so one engine
    /// gives the same answers for the whole scan.
    /// </summary>
    public DateOnly? ReferenceDate { get; init; }

    /// <summary>Clock used when <see cref="ReferenceDate"/> is null.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether written dates near a date-of-birth keyword that the built-in parser cannot read are
    /// resolved with Microsoft.Recognizers.Text (slow; runs only on a small window after the keyword).</summary>
    public bool UseDateRecognizer { get; init; } = true;

    /// <summary>
    /// Detectors written in code (licences, medical vocabularies, cards, phones…) run on every segment after the
    /// YAML rules. See <see cref="CodeDetectors.CreateDefault(string)"/>.
    /// </summary>
    public IReadOnlyList<ISegmentDetector> CodeDetectors { get; init; } = [];

    /// <summary>Oldest plausible age in years for a date of birth.</summary>
    public int MaxAgeYears { get; init; } = 120;
}
