using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>
/// The notification decision for a scan: one <see cref="PersonDecision"/> per reviewed individual, the excluded
/// ones, the review log, and the totals both <c>notification-summary.json</c> and <c>report.html</c> show.
/// Immutable.
/// </summary>
public sealed class NotificationOutcome
{
    internal NotificationOutcome(IReadOnlyList<PersonDecision> people, IReadOnlyList<ExcludedPerson> excluded, IReadOnlyList<ReviewAction> review, NotificationLaws laws, NotificationOptions options)
    {
        People = people;
        Excluded = excluded;
        Review = review;
        CoveredEntity = options.CoveredEntity;
        Notifiable = [.. people.Where(p => p.Notifiable).OrderBy(p => p.State, StringComparer.Ordinal).ThenBy(p => p.Person.Id, StringComparer.Ordinal)];

        var states = new SortedDictionary<string, StateTotals>(StringComparer.Ordinal);
        foreach (var group in people.GroupBy(p => p.State, StringComparer.Ordinal))
        {
            var notifiable = group.Where(p => p.Notifiable).ToList();
            var law = laws.For(group.Key);
            states[group.Key] = new StateTotals(
                group.Key,
                law,
                group.Count(),
                notifiable.Count,
                CountElements(notifiable.Select(p => p.NoticeElements(CoveredEntity))),
                law is null ? [] : [.. law.Regulators.Select(r => new RegulatorDue(law.Jurisdiction, r, notifiable.Count, notifiable.Count >= r.MinResidents))]);
        }

        ByState = states;
        ByElement = CountElements(Notifiable.Select(p => p.NoticeElements(CoveredEntity)));

        var overlays = new List<OverlayTotals>();
        foreach (var overlay in laws.Overlays)
        {
            var hit = people.Where(p => p.Overlays.Any(o => o.Law == overlay)).ToList();
            var dues = new List<RegulatorDue>();
            foreach (var r in overlay.Regulators)
            {
                if (r.Scope == RegulatorScope.Total)
                {
                    dues.Add(new RegulatorDue(overlay.Jurisdiction, r, hit.Count, hit.Count >= r.MinResidents));
                }
                else
                {
                    dues.AddRange(hit.GroupBy(p => p.State, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                        .Select(g => new RegulatorDue(g.Key, r, g.Count(), g.Count() >= r.MinResidents)));
                }
            }

            overlays.Add(new OverlayTotals(overlay, hit.Count, CoveredEntity, dues));
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

    private static SortedDictionary<string, long> CountElements(IEnumerable<IReadOnlyList<string>> lists)
    {
        var counts = new SortedDictionary<string, long>(ElementOrder.Comparer);
        foreach (var element in lists.SelectMany(l => l))
        {
            counts[element] = counts.GetValueOrDefault(element) + 1;
        }

        return counts;
    }
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
