using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>
/// The notification decision for a scan: one <see cref="PersonDecision"/> per reviewed individual, the excluded
/// ones, the review log, and the totals both <c>notification-summary.json</c> and <c>report.html</c> show.
/// Immutable.
/// </summary>
public sealed class NotificationOutcome
{
    internal NotificationOutcome(IReadOnlyList<Individual> individuals, IReadOnlyList<PersonDecision> people, IReadOnlyList<ExcludedPerson> excluded, IReadOnlyList<ReviewAction> review, NotificationLaws laws, NotificationOptions options)
    {
        Individuals = individuals;
        People = people;
        Excluded = excluded;
        Review = review;
        CoveredEntity = options.CoveredEntity;

        // One pass over the people (they may stream from disk): per state its count, its notifiable people (as
        // positions, in id order) and their elements; per overlay the people it covers, by state.
        var tally = new SortedDictionary<string, (int Count, List<int> Notifiable, SortedDictionary<string, long> ByElement)>(StringComparer.Ordinal);
        var overlayLaws = laws.Overlays.ToList();
        var overlayHits = overlayLaws.Select(_ => new SortedDictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var byElement = new SortedDictionary<string, long>(ElementOrder.Comparer);
        var index = 0;
        foreach (var p in people)
        {
            if (!tally.TryGetValue(p.State, out var state))
            {
                state = (0, [], new SortedDictionary<string, long>(ElementOrder.Comparer));
            }

            state.Count++;
            if (p.Notifiable)
            {
                state.Notifiable.Add(index);
                foreach (var element in p.NoticeElements(CoveredEntity))
                {
                    state.ByElement[element] = state.ByElement.GetValueOrDefault(element) + 1;
                    byElement[element] = byElement.GetValueOrDefault(element) + 1;
                }
            }

            tally[p.State] = state;
            for (var k = 0; k < overlayLaws.Count; k++)
            {
                if (p.Overlays.Any(o => o.Law == overlayLaws[k]))
                {
                    overlayHits[k][p.State] = overlayHits[k].GetValueOrDefault(p.State) + 1;
                }
            }

            index++;
        }

        Notifiable = new ProjectedList<PersonDecision, PersonDecision>(people, p => p, [.. tally.Values.SelectMany(t => t.Notifiable)]);
        var states = new SortedDictionary<string, StateTotals>(StringComparer.Ordinal);
        foreach (var (code, t) in tally)
        {
            var law = laws.For(code);
            states[code] = new StateTotals(
                code,
                law,
                t.Count,
                t.Notifiable.Count,
                t.ByElement,
                law is null ? [] : [.. law.Regulators.Select(r => new RegulatorDue(law.Jurisdiction, r, t.Notifiable.Count, t.Notifiable.Count >= r.MinResidents))]);
        }

        ByState = states;
        ByElement = byElement;

        var overlays = new List<OverlayTotals>();
        for (var k = 0; k < overlayLaws.Count; k++)
        {
            var overlay = overlayLaws[k];
            var hit = overlayHits[k].Values.Sum();
            var dues = new List<RegulatorDue>();
            foreach (var r in overlay.Regulators)
            {
                if (r.Scope == RegulatorScope.Total)
                {
                    dues.Add(new RegulatorDue(overlay.Jurisdiction, r, hit, hit >= r.MinResidents));
                }
                else
                {
                    dues.AddRange(overlayHits[k].Select(g => new RegulatorDue(g.Key, r, g.Value, g.Value >= r.MinResidents)));
                }
            }

            overlays.Add(new OverlayTotals(overlay, hit, CoveredEntity, dues));
        }

        Overlays = overlays;
        RegulatorsToNotify =
        [
            .. states.Values.SelectMany(s => s.Regulators).Where(r => r.Required),
            .. CoveredEntity ? overlays.SelectMany(o => o.Regulators).Where(r => r.Required) : [],
        ];
    }

    /// <summary>Every reviewed individual's decision, by id.</summary>
    public IReadOnlyList<PersonDecision> People { get; }

    /// <summary>
    /// The reviewed individuals themselves, in <see cref="People"/>' order, for readers that need no decision
    /// (each read of <see cref="People"/> decides again).
    /// </summary>
    internal IReadOnlyList<Individual> Individuals { get; }

    /// <summary>The notifiable people, by state then id (the rows of <c>notification.csv</c>).</summary>
    public IReadOnlyList<PersonDecision> Notifiable { get; }

    /// <summary>People the review excluded.</summary>
    public IReadOnlyList<ExcludedPerson> Excluded { get; }

    /// <summary>The review log.</summary>
    public IReadOnlyList<ReviewAction> Review { get; }

    /// <summary>Whether overlays (HIPAA) were applied as binding.</summary>
    public bool CoveredEntity { get; }

    /// <summary>Per residence state (<c>unknown</c> included), ordinal order.</summary>
    public IReadOnlyDictionary<string, StateTotals> ByState { get; }

    /// <summary>Notifiable people by element that triggered their notice.</summary>
    public IReadOnlyDictionary<string, long> ByElement { get; }

    /// <summary>Per overlay law: how many people it covers and its regulators.</summary>
    public IReadOnlyList<OverlayTotals> Overlays { get; }

    /// <summary>Regulators that must be told: thresholds met, states in order, then overlays when binding.</summary>
    public IReadOnlyList<RegulatorDue> RegulatorsToNotify { get; }
}

/// <summary>One residence state's totals.</summary>
/// <param name="State">Jurisdiction code or <c>unknown</c>.</param>
/// <param name="Law">Its law, null for <c>unknown</c>.</param>
/// <param name="Individuals">Reviewed individuals resident there.</param>
/// <param name="Notifiable">Of them, notifiable.</param>
/// <param name="ByElement">Notifiable people by triggering element.</param>
/// <param name="Regulators">Each regulator of the law and whether its threshold is met.</param>
public sealed record StateTotals(string State, NotificationLaw? Law, int Individuals, int Notifiable, IReadOnlyDictionary<string, long> ByElement, IReadOnlyList<RegulatorDue> Regulators);

/// <summary>A regulator with the count its threshold is measured against.</summary>
/// <param name="Jurisdiction">The state (or the overlay, for a total-scope threshold).</param>
/// <param name="Regulator">The regulator.</param>
/// <param name="People">Notifiable people counted.</param>
/// <param name="Required">True when <paramref name="People"/> reaches the threshold.</param>
public sealed record RegulatorDue(string Jurisdiction, Regulator Regulator, int People, bool Required);

/// <summary>An overlay law's totals.</summary>
/// <param name="Law">The overlay (HIPAA).</param>
/// <param name="People">People whose exposure it covers.</param>
/// <param name="Binding">True when the data holder said it is a covered entity.</param>
/// <param name="Regulators">Its regulators and whether each threshold is met.</param>
public sealed record OverlayTotals(NotificationLaw Law, int People, bool Binding, IReadOnlyList<RegulatorDue> Regulators);
