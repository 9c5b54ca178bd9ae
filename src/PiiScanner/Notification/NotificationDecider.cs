using System.Globalization;
using System.Text.RegularExpressions;
using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>Options of the notification decision. Immutable.</summary>
public sealed record NotificationOptions
{
    /// <summary>
    /// The data holder is a HIPAA covered entity or business associate (<c>--hipaa</c>): people the HIPAA overlay
    /// covers are notifiable even where their state law is silent, and HHS and the media are among the regulators.
    /// Without it the overlay is only counted, as "would apply".
    /// </summary>
    public bool CoveredEntity { get; init; }
}

/// <summary>
/// Decides, from the exposure index, who must be notified under which law and which regulators must be told.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Residence.</b> A person's state is the state of their most recent address: the address seen in the
/// most recently modified source file (then in the most sources, then the first in ordinal order) whose state is
/// known; else the state that issued most of their driver's licences; else <c>unknown</c>. A state code with no
/// law file (military mail, AA/AE/AP) is <c>unknown</c> too. Nobody is dropped.</para>
/// <para><b>Decision.</b> A person is notifiable when one trigger of their state's law is fully exposed
/// (<see cref="NotificationLaw.Triggered"/>); a person of unknown state when one trigger of any state's law is, so
/// the analyst sees them. With <see cref="NotificationOptions.CoveredEntity"/> an overlay trigger (HIPAA) also
/// makes a person notifiable.</para>
/// </remarks>
public sealed partial class NotificationDecider
{
    /// <summary>The state of a person whose residence is not known.</summary>
    public const string UnknownState = "unknown";

    private static readonly HashSet<string> AddressOnly = new(StringComparer.Ordinal) { Elements.Address };

    private readonly NotificationLaws _laws;
    private readonly NotificationOptions _options;

    /// <summary>Creates a decider over <paramref name="laws"/>.</summary>
    public NotificationDecider(NotificationLaws laws, NotificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(laws);
        _laws = laws;
        _options = options ?? new NotificationOptions();
    }

    /// <summary>The laws in force.</summary>
    public NotificationLaws Laws => _laws;

    /// <summary>The options in force.</summary>
    internal NotificationOptions Options => _options;

    /// <summary>Decides for every individual of <paramref name="result"/> after applying <paramref name="review"/>.</summary>
    public NotificationOutcome Decide(ScanResult result, Review? review = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        review ??= Review.Empty;

        // The residence reads only the addresses of the sources; a review may narrow people by any element.
        var facts = new SourceFacts(result.Results.Read(CancellationToken.None), review.IsEmpty ? AddressOnly : null);
        var (people, excluded, notes, log) = ReviewApplier.Apply(result.Individuals, review, facts);

        // Decided afresh each time the list is read, so the decisions of a big index are never all in memory.
        var decisions = new ProjectedList<Individual, PersonDecision>(people, p => Decide(p, facts, notes.GetValueOrDefault(p.Id)));
        return new NotificationOutcome(people, decisions, excluded.Select(x => new ExcludedPerson(x.Person.Id, x.Reason)).ToList(), log, _laws, _options);
    }

    /// <summary>The decision for one person (tests and the library use this on individuals built by hand).</summary>
    public PersonDecision Decide(Individual person) => Decide(person, new SourceFacts([]), null);

    private PersonDecision Decide(Individual person, SourceFacts facts, string? note)
    {
        var (found, from, address) = Residence(person, facts);
        var law = _laws.For(found);
        var state = law?.Jurisdiction ?? UnknownState;

        var exposed = person.Elements.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<string> triggered;
        var firing = 0;
        if (law is not null)
        {
            triggered = law.Triggered(exposed);
        }
        else
        {
            var hits = _laws.States.Select(l => l.Triggered(exposed)).Where(t => t.Count > 0).ToList();
            firing = hits.Count;
            triggered = ElementOrder.Sort(hits.SelectMany(t => t));
        }

        var overlays = _laws.Overlays
            .Select(o => (Law: o, Triggered: o.Triggered(exposed)))
            .Where(x => x.Triggered.Count > 0)
            .Select(x => new OverlayHit(x.Law, x.Triggered))
            .ToList();
        var notifiable = triggered.Count > 0 || (_options.CoveredEntity && overlays.Count > 0);
        return new PersonDecision(person, state, from, address, triggered, law, firing, overlays, notifiable, note);
    }

    private static (string? State, string From, string? Address) Residence(Individual person, SourceFacts facts)
    {
        var addresses = person.Values.TryGetValue(Elements.Address, out var list) ? list : [];

        // Each source's facts looked up once, not once per address.
        var sources = addresses.Count == 0 ? [] : person.Sources.Select(s => (s.Path, Facts: facts.At(s))).ToArray();
        var ranked = addresses
            .Select(v =>
            {
                string? state = null;
                DateTimeOffset? latest = null;
                var count = 0;
                foreach (var (path, found) in sources)
                {
                    var here = false;
                    foreach (var f in found)
                    {
                        if (f.Element == Elements.Address && f.Value == v.Value)
                        {
                            here = true;
                            state ??= f.State;
                        }
                    }

                    if (here)
                    {
                        count++;
                        var modified = facts.Modified(path);
                        latest = count == 1 || Nullable.Compare(modified, latest) > 0 ? modified : latest;
                    }
                }

                return (v.Value, State: (state ?? StateOf(v.Value))?.ToUpperInvariant(), Latest: latest, Count: count);
            })
            .OrderByDescending(a => a.Latest)
            .ThenByDescending(a => a.Count)
            .ThenBy(a => a.Value, StringComparer.Ordinal)
            .ToList();
        var mailing = ranked.FirstOrDefault(a => a.State is not null);
        if (mailing.Value is not null)
        {
            return (mailing.State, Elements.Address, mailing.Value);
        }

        var best = ranked.Count > 0 ? ranked[0].Value : null;
        var licence = (person.Values.TryGetValue(Elements.DriversLicense, out var dls) ? dls : [])
            .Where(d => d.State is not null)
            .GroupBy(d => d.State!.ToUpperInvariant(), StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
        return licence is not null ? (licence, Elements.DriversLicense, best) : (null, "none", best);
    }

    /// <summary>The state of a one-line address (<c>12 Oak St, Helena, MT 59601</c>), when it ends with one.</summary>
    internal static string? StateOf(string address)
    {
        var m = StateAtEnd().Match(address);
        return m.Success ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@",\s*([A-Z]{2})(?:\s+\d{5}(?:-\d{4})?)?\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RuleSet.RegexTimeoutMilliseconds)]
    private static partial Regex StateAtEnd();
}

/// <summary>An overlay law (HIPAA) whose trigger a person's exposure meets.</summary>
public sealed record OverlayHit(NotificationLaw Law, IReadOnlyList<string> Triggered);

/// <summary>An individual the review excluded, with the analyst's reason.</summary>
public sealed record ExcludedPerson(string Id, string? Reason);

/// <summary>The decision for one person. Holds the person's full values; writers mask them.</summary>
/// <param name="Person">The individual (after review).</param>
/// <param name="State">Residence: a jurisdiction code with a law file, or <see cref="NotificationDecider.UnknownState"/>.</param>
/// <param name="StateFrom">Where the state came from: <c>address</c>, <c>driversLicense</c> or <c>none</c>.</param>
/// <param name="MailingAddress">The address to write to (the most recent one), or null.</param>
/// <param name="Triggered">Elements that triggered the state law (for an unknown state: any state's law).</param>
/// <param name="Law">The state's law, or null for an unknown state.</param>
/// <param name="LawsFiring">For an unknown state, how many state laws the exposure triggers.</param>
/// <param name="Overlays">Overlay laws (HIPAA) the exposure triggers.</param>
/// <param name="Notifiable">True when the person must be (or, state unknown, may have to be) notified.</param>
/// <param name="Review">What the review changed about this person, or null.</param>
public sealed record PersonDecision(
    Individual Person,
    string State,
    string StateFrom,
    string? MailingAddress,
    IReadOnlyList<string> Triggered,
    NotificationLaw? Law,
    int LawsFiring,
    IReadOnlyList<OverlayHit> Overlays,
    bool Notifiable,
    string? Review)
{
    /// <summary>The elements a notice must name: the state law's, plus the overlays' when binding.</summary>
    public IReadOnlyList<string> NoticeElements(bool coveredEntity) =>
        coveredEntity && Overlays.Count > 0 ? ElementOrder.Sort(Triggered.Concat(Overlays.SelectMany(o => o.Triggered))) : Triggered;

    /// <summary>The law(s) a notice is due under, in words.</summary>
    public string LawText(bool coveredEntity)
    {
        var text = Law is null
            ? $"residence unknown: {LawsFiring.ToString(CultureInfo.InvariantCulture)} state laws apply to this exposure; confirm the state"
            : Law.Citation ?? $"no breach-notification law known for {Law.Name}";
        return coveredEntity && Overlays.Count > 0 ? text + "; " + string.Join("; ", Overlays.Select(o => o.Law.Citation)) : text;
    }

    /// <summary>When notice is due, in words.</summary>
    public string DeadlineText(bool coveredEntity)
    {
        var text = Law is null ? "confirm the state" : Law.Deadline ?? "none known";
        return coveredEntity && Overlays.Count > 0 ? text + "; " + string.Join("; ", Overlays.Select(o => o.Law.Jurisdiction + ": " + o.Law.Deadline)) : text;
    }
}
