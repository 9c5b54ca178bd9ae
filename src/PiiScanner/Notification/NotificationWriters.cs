using System.Text.Json;
using PiiScanner.Detection;
using PiiScanner.Index;

namespace PiiScanner.Notification;

/// <summary>
/// <c>notification.csv</c> and <c>notification-summary.json</c>, written with the index's CSV cell rules
/// (<see cref="IndexCsv"/>), JSON options (<see cref="IndexJson"/>) and <see cref="Masker"/>.
/// </summary>
internal static class NotificationWriters
{
    /// <summary>The columns of <c>notification.csv</c>.</summary>
    public static readonly string[] CsvColumns =
        ["id", "name", "address", "state", "stateFrom", "elements", "exposed", "law", "deadline", "hipaa", "review"];

    /// <summary>One row per notifiable person, by state then id.</summary>
    public static void WriteCsv(TextWriter writer, NotificationOutcome outcome, Masker masker)
    {
        IndexCsv.WriteRow(writer, CsvColumns);
        foreach (var d in outcome.Notifiable)
        {
            var elements = d.NoticeElements(outcome.CoveredEntity);
            var exposed = elements
                .Where(e => e != Elements.Name && d.Person.Values.ContainsKey(e))
                .SelectMany(e => d.Person.Values[e].Select(v => e + " " + IndexCsv.Format(e, v, masker)));
            IndexCsv.WriteRow(writer,
            [
                d.Person.Id,
                d.Person.Name is null ? string.Empty : masker.Mask(Elements.Name, d.Person.Name),
                d.MailingAddress is null ? string.Empty : masker.Mask(Elements.Address, d.MailingAddress),
                d.State,
                d.StateFrom,
                string.Join("; ", elements),
                string.Join("; ", exposed),
                d.LawText(outcome.CoveredEntity),
                d.DeadlineText(outcome.CoveredEntity),
                d.Overlays.Count > 0 ? "yes" : string.Empty,
                d.Review ?? string.Empty,
            ]);
        }
    }

    /// <summary>Counts per state and element, regulators, overlays and the review log.</summary>
    public static void WriteSummary(Utf8JsonWriter w, NotificationOutcome outcome, Masker masker)
    {
        w.WriteStartObject();
        w.WriteBoolean("masked", !masker.Reveal);
        w.WriteBoolean("coveredEntity", outcome.CoveredEntity);
        w.WriteNumber("individuals", outcome.People.Count);
        w.WriteNumber("notifiable", outcome.Notifiable.Count);
        w.WriteNumber("excluded", outcome.Excluded.Count);
        IndexJson.WriteCounts(w, "byElement", outcome.ByElement, Resolution.ElementOrder.Comparer);

        w.WriteStartObject("byState");
        foreach (var s in outcome.ByState.Values)
        {
            w.WriteStartObject(s.State);
            IndexJson.WriteOptional(w, "name", s.Law?.Name);
            IndexJson.WriteOptional(w, "law", s.Law?.Citation);
            IndexJson.WriteOptional(w, "deadline", s.Law?.Deadline);
            if (s.Law?.DeadlineDays is { } days)
            {
                w.WriteNumber("deadlineDays", days);
            }

            w.WriteNumber("individuals", s.Individuals);
            w.WriteNumber("notifiable", s.Notifiable);
            IndexJson.WriteCounts(w, "byElement", s.ByElement, Resolution.ElementOrder.Comparer);
            w.WriteStartArray("regulators");
            foreach (var r in s.Regulators)
            {
                WriteRegulator(w, r, withJurisdiction: false);
            }

            w.WriteEndArray();
            IndexJson.WriteStrings(w, "uncertain", s.Law?.Uncertain ?? []);
            w.WriteEndObject();
        }

        w.WriteEndObject();

        w.WriteStartArray("regulatorsToNotify");
        foreach (var r in outcome.RegulatorsToNotify)
        {
            WriteRegulator(w, r, withJurisdiction: true);
        }

        w.WriteEndArray();

        w.WriteStartObject("overlays");
        foreach (var o in outcome.Overlays)
        {
            w.WriteStartObject(o.Law.Jurisdiction);
            IndexJson.WriteOptional(w, "law", o.Law.Citation);
            IndexJson.WriteOptional(w, "deadline", o.Law.Deadline);
            w.WriteBoolean("binding", o.Binding);
            w.WriteNumber("people", o.People);
            w.WriteStartArray("regulators");
            foreach (var r in o.Regulators)
            {
                WriteRegulator(w, r, withJurisdiction: true);
            }

            w.WriteEndArray();
            IndexJson.WriteStrings(w, "uncertain", o.Law.Uncertain);
            w.WriteEndObject();
        }

        w.WriteEndObject();

        w.WriteStartObject("review");
        w.WriteStartArray("actions");
        foreach (var a in outcome.Review)
        {
            w.WriteStartObject();
            w.WriteString("action", a.Action);
            w.WriteString("target", a.Target);
            IndexJson.WriteOptional(w, "reason", a.Reason);
            w.WriteBoolean("applied", a.Applied);
            w.WriteString("detail", a.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("excluded");
        foreach (var e in outcome.Excluded)
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id);
            IndexJson.WriteOptional(w, "reason", e.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRegulator(Utf8JsonWriter w, RegulatorDue r, bool withJurisdiction)
    {
        w.WriteStartObject();
        if (withJurisdiction)
        {
            w.WriteString("jurisdiction", r.Jurisdiction);
        }

        w.WriteString("who", r.Regulator.Who);
        w.WriteNumber("minResidents", r.Regulator.MinResidents);
        if (r.Regulator.Scope == RegulatorScope.Total)
        {
            w.WriteString("scope", "total");
        }

        w.WriteNumber("people", r.People);
        w.WriteBoolean("required", r.Required);
        IndexJson.WriteOptional(w, "note", r.Regulator.Note);
        w.WriteEndObject();
    }
}
