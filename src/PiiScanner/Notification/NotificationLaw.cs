using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>
/// One jurisdiction's breach-notification trigger, loaded from <c>rules/notification/*.yaml</c> (see <c>rules/notification/README.md</c>).
/// Immutable and thread-safe.
/// </summary>
/// <param name="Jurisdiction">USPS code (<c>MT</c>, <c>DC</c>, <c>PR</c>) or <c>HIPAA</c> for the overlay.</param>
/// <param name="Name">Display name (<c>Montana</c>).</param>
/// <param name="Citation">The statute, or null where no breach-notification law is known.</param>
/// <param name="Deadline">When notice is due, as the statute says it; null where no law is known.</param>
/// <param name="DeadlineDays">The outer limit in days, when the statute fixes one.</param>
/// <param name="Overlay">True for a law applied beside each person's state law (HIPAA).</param>
/// <param name="Triggers">Element sets: a person is notifiable when every element of one set is exposed.</param>
/// <param name="Regulators">Who else must be told, and from how many affected residents.</param>
/// <param name="Uncertain">What this file is not sure of, in words.</param>
/// <param name="Examples">People with elements and the expected decision, run by the tests.</param>
/// <param name="SourceFile">The file it was loaded from.</param>
public sealed record NotificationLaw(
    string Jurisdiction,
    string Name,
    string? Citation,
    string? Deadline,
    int? DeadlineDays,
    bool Overlay,
    IReadOnlyList<IReadOnlyList<string>> Triggers,
    IReadOnlyList<Regulator> Regulators,
    IReadOnlyList<string> Uncertain,
    IReadOnlyList<LawExample> Examples,
    string SourceFile)
{
    /// <summary>
    /// The elements that make a person with <paramref name="exposed"/> notifiable under this law: the union of every
    /// trigger set fully contained in <paramref name="exposed"/>, in contract order; empty when none is.
    /// </summary>
    public IReadOnlyList<string> Triggered(IReadOnlyCollection<string> exposed)
    {
        ArgumentNullException.ThrowIfNull(exposed);
        var hit = Triggers.Where(set => set.All(exposed.Contains)).SelectMany(set => set);
        return ElementOrder.Sort(hit);
    }
}

/// <summary>Whose residents a regulator threshold counts.</summary>
public enum RegulatorScope
{
    /// <summary>Notifiable residents of the jurisdiction (the usual case).</summary>
    State,

    /// <summary>Every notifiable person of the breach (HIPAA's 500 for HHS).</summary>
    Total,
}

/// <summary>A regulator (or consumer reporting agencies, or the media) to tell.</summary>
/// <param name="Who">Who to tell (<c>attorney general</c>).</param>
/// <param name="MinResidents">The smallest number of notifiable people that requires it (statutes' "more than 1,000" is 1001).</param>
/// <param name="Scope">Whose people are counted.</param>
/// <param name="Note">When and how, in words, or null.</param>
public sealed record Regulator(string Who, int MinResidents, RegulatorScope Scope, string? Note);

/// <summary>One example of a law file: a person with these elements is notifiable or not, and why.</summary>
public sealed record LawExample(IReadOnlyList<string> Elements, bool Notifiable, string Why);
