using System.Globalization;
using System.Net;
using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Notification;
using PiiScanner.Resolution;

namespace PiiScanner.Report;

/// <summary>Options of <c>report.html</c>. Immutable.</summary>
public sealed record ReportOptions
{
    /// <summary>Most people listed one by one; the rest are counted, with the query that lists them from <c>index.db</c>.</summary>
    public int MaxPeople { get; init; } = 5000;

    /// <summary>Most sources listed per person.</summary>
    public int MaxSourcesPerPerson { get; init; } = 10;

    /// <summary>Most files listed in "files exposing the most people".</summary>
    public int MaxFiles { get; init; } = 25;

    /// <summary>Most example paths per reason in "what could not be read".</summary>
    public int MaxUnreadExamples { get; init; } = 3;
}

/// <summary>
/// <c>report.html</c>: one self-contained page for the people running the breach response — totals, people per
/// state (tile map and table), elements exposed (bar charts), the files exposing the most people, what could not be
/// read and why, regulators to tell, the review, and a searchable table of people with each element, its sources and
/// why their records were joined. Inline CSS, inline SVG and one inline script (the search box); a
/// Content-Security-Policy forbids every network request. Values go through the <see cref="Masker"/>. The totals
/// carry ids (<c>total-files</c>, <c>total-individuals</c>, <c>total-findings</c>, <c>total-notifiable</c>) and a
/// <c>data-value</c> so tools can read them. Deterministic: no clock, sorted everywhere.
/// </summary>
internal static class ReportWriter
{
    // Tile-grid map positions (column, row) of the states, DC and the territories.
    private static readonly Dictionary<string, (int X, int Y)> Tiles = new(StringComparer.Ordinal)
    {
        ["AK"] = (0, 0), ["ME"] = (11, 0), ["WI"] = (6, 1), ["VT"] = (10, 1), ["NH"] = (11, 1),
        ["WA"] = (1, 2), ["ID"] = (2, 2), ["MT"] = (3, 2), ["ND"] = (4, 2), ["MN"] = (5, 2), ["IL"] = (6, 2), ["MI"] = (7, 2), ["NY"] = (9, 2), ["MA"] = (10, 2),
        ["OR"] = (1, 3), ["NV"] = (2, 3), ["WY"] = (3, 3), ["SD"] = (4, 3), ["IA"] = (5, 3), ["IN"] = (6, 3), ["OH"] = (7, 3), ["PA"] = (8, 3), ["NJ"] = (9, 3), ["CT"] = (10, 3), ["RI"] = (11, 3),
        ["CA"] = (1, 4), ["UT"] = (2, 4), ["CO"] = (3, 4), ["NE"] = (4, 4), ["MO"] = (5, 4), ["KY"] = (6, 4), ["WV"] = (7, 4), ["VA"] = (8, 4), ["MD"] = (9, 4), ["DE"] = (10, 4),
        ["AZ"] = (2, 5), ["NM"] = (3, 5), ["KS"] = (4, 5), ["AR"] = (5, 5), ["TN"] = (6, 5), ["NC"] = (7, 5), ["SC"] = (8, 5), ["DC"] = (9, 5),
        ["OK"] = (4, 6), ["LA"] = (5, 6), ["MS"] = (6, 6), ["AL"] = (7, 6), ["GA"] = (8, 6),
        ["HI"] = (0, 7), ["TX"] = (4, 7), ["FL"] = (9, 7),
        ["MP"] = (7, 8), ["GU"] = (8, 8), ["AS"] = (9, 8), ["PR"] = (10, 8), ["VI"] = (11, 8),
    };

    private static readonly Dictionary<string, string> JoinWords = new(StringComparer.Ordinal)
    {
        ["ssn"] = "same SSN", ["itin"] = "same ITIN", ["driversLicense"] = "same driver's licence", ["mbi"] = "same Medicare number",
        ["passport"] = "same passport number", ["name+dob"] = "same name and date of birth", ["name+address"] = "same name and address",
        ["name+email"] = "same name and email", ["name+phone"] = "same name and phone", ["maiden+dob+address"] = "same birth date and address, other surname",
        ["typo+dob+address"] = "same birth date and address, name one letter apart", ["same-document-name"] = "named in the same document",
        [ReviewApplier.SplitKey] = "split off by the analyst", [ReviewApplier.MergeKey] = "merged by the analyst",
    };

    /// <summary>The tile-map codes (tests check every law has one).</summary>
    internal static IEnumerable<string> MapCodes => Tiles.Keys;

    public static void Write(TextWriter w, ScanResult result, NotificationOutcome outcome, Masker masker, ReportOptions options)
    {
        var s = result.Summary;
        var unread = s.FilesByStatus.Where(kv => kv.Key != FileStatus.Scanned).Sum(kv => kv.Value);
        w.Write("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Breach exposure report</title>
            <style>
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d2433;background:#f5f6f8}
            main{max-width:1180px;margin:0 auto;padding:24px}
            h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:2px solid #d8dce3;padding-bottom:4px}
            .muted{color:#5b6475}.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
            .card{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:12px 16px;min-width:150px}
            .card .n{font-size:28px;font-weight:700;display:block}.card.alert .n{color:#b3261e}
            table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
            th,td{border:1px solid #d8dce3;padding:5px 8px;text-align:left;vertical-align:top}th{background:#eef0f4}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            .yes{color:#b3261e;font-weight:600}.note{background:#fff8e1;border:1px solid #f0d48a;padding:8px 12px;border-radius:6px}
            code{font-size:13px;background:#eef0f4;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
            #people td:nth-child(4){min-width:220px}#people td:nth-child(6){min-width:150px}
            ul.src{margin:0;padding-left:16px}input[type=search]{width:100%;padding:8px;font-size:15px;margin-bottom:8px;box-sizing:border-box}
            svg text{font:12px system-ui,"DejaVu Sans",sans-serif}
            </style></head><body><main>

            """);
        w.Write("<h1>Breach exposure report</h1>\n<p class=\"muted\">Scanned: ");
        w.Write(E(string.Join(", ", s.Roots)));
        w.Write(masker.Reveal
            ? ". <strong>Values are shown in full (--reveal).</strong></p>\n"
            : ". Identifiers are masked (last digits only); names and addresses are shown so people can be told.</p>\n");

        w.Write("<div class=\"cards\">\n");
        Card(w, "total-files", s.FilesByStatus.Values.Sum(), "files examined", false);
        Card(w, "total-unread", unread, "files not fully read", unread > 0);
        Card(w, "total-findings", s.FindingsByElement.Values.Sum(), "findings", false);
        Card(w, "total-individuals", s.Individuals, "people found", false);
        if (outcome.Review.Count > 0)
        {
            Card(w, "total-reviewed", outcome.People.Count, "people after review", false);
        }

        Card(w, "total-notifiable", outcome.Notifiable.Count, "people to notify", outcome.Notifiable.Count > 0);
        Card(w, "total-regulators", outcome.RegulatorsToNotify.Count, "regulator notices", outcome.RegulatorsToNotify.Count > 0);
        w.Write("</div>\n");

        WriteStates(w, outcome);
        WriteElements(w, s, outcome);
        WriteRegulators(w, outcome);
        WriteFiles(w, outcome, options);
        WriteUnread(w, result, options);
        WriteReview(w, outcome);
        WritePeople(w, outcome, masker, options);
        w.Write("""
            <script>
            (function(){var q=document.getElementById('q');if(!q)return;var rows=document.querySelectorAll('#people tbody tr');
            q.addEventListener('input',function(){var t=q.value.toLowerCase();var n=0;rows.forEach(function(r){var show=!t||r.textContent.toLowerCase().indexOf(t)>=0;r.style.display=show?'':'none';if(show)n++;});
            document.getElementById('shown').textContent=n;});})();
            </script>
            </main></body></html>

            """);
    }

    private static void WriteStates(TextWriter w, NotificationOutcome outcome)
    {
        w.Write("<h2>People per state</h2>\n");
        var max = Math.Max(1, outcome.ByState.Values.Max(x => (int?)x.Individuals) ?? 1);
        const int size = 44, gap = 4;
        w.Write(Inv($"<svg role=\"img\" aria-label=\"people per state\" width=\"{12 * (size + gap)}\" height=\"{9 * (size + gap)}\" viewBox=\"0 0 {12 * (size + gap)} {9 * (size + gap)}\">\n"));
        foreach (var (code, (x, y)) in Tiles.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var people = outcome.ByState.TryGetValue(code, out var st) ? st.Individuals : 0;
            var notify = st?.Notifiable ?? 0;
            var shade = people == 0 ? "#e4e7ec" : Shade(Math.Log(1 + people) / Math.Log(1 + max));
            var ink = people > 0 && Math.Log(1 + people) / Math.Log(1 + max) > 0.55 ? "#fff" : "#1d2433";
            w.Write(Inv($"<g><title>{code}: {people} people, {notify} to notify</title><rect x=\"{x * (size + gap)}\" y=\"{y * (size + gap)}\" width=\"{size}\" height=\"{size}\" rx=\"4\" fill=\"{shade}\"/>"));
            w.Write(Inv($"<text x=\"{(x * (size + gap)) + (size / 2)}\" y=\"{(y * (size + gap)) + 18}\" text-anchor=\"middle\" fill=\"{ink}\" font-weight=\"600\">{code}</text>"));
            if (people > 0)
            {
                w.Write(Inv($"<text x=\"{(x * (size + gap)) + (size / 2)}\" y=\"{(y * (size + gap)) + 34}\" text-anchor=\"middle\" fill=\"{ink}\">{N(people)}</text>"));
            }

            w.Write("</g>\n");
        }

        w.Write("</svg>\n<table id=\"states\"><thead><tr><th>State</th><th class=\"num\">People</th><th class=\"num\">To notify</th><th>Deadline</th><th>Law</th><th>Not sure</th></tr></thead><tbody>\n");
        foreach (var st in outcome.ByState.Values.OrderByDescending(x => x.Notifiable).ThenByDescending(x => x.Individuals).ThenBy(x => x.State, StringComparer.Ordinal))
        {
            var name = st.Law is null ? "unknown residence" : st.Law.Name + " (" + st.State + ")";
            w.Write(Inv($"<tr data-state=\"{E(st.State)}\"><td>{E(name)}</td><td class=\"num\">{N(st.Individuals)}</td><td class=\"num\">{N(st.Notifiable)}</td>"));
            w.Write($"<td>{E(st.Law?.Deadline ?? "confirm the state")}</td><td>{E(st.Law?.Citation ?? (st.Law is null ? "—" : "none known"))}</td><td>{E(string.Join(" · ", st.Law?.Uncertain ?? []))}</td></tr>\n");
        }

        w.Write("</tbody></table>\n");
        if (outcome.ByState.ContainsKey(NotificationDecider.UnknownState))
        {
            w.Write("<p class=\"note\">People of <strong>unknown residence</strong> have no address or licence with a state; they are listed as to notify when any state's law would apply, so someone can find where they live.</p>\n");
        }
    }

    private static void WriteElements(TextWriter w, ScanSummary s, NotificationOutcome outcome)
    {
        w.Write("<h2>What was exposed</h2>\n<p class=\"muted\">People by kind of data found about them, and people to notify by the data that requires the notice.</p>\n");
        BarChart(w, "chart-exposed", "People found, by element", s.IndividualsByElement);
        BarChart(w, "chart-notice", "People to notify, by triggering element", outcome.ByElement);
    }

    private static void WriteRegulators(TextWriter w, NotificationOutcome outcome)
    {
        w.Write("<h2>Regulators to tell</h2>\n");
        if (outcome.RegulatorsToNotify.Count == 0)
        {
            w.Write("<p>No regulator threshold is met.</p>\n");
        }
        else
        {
            w.Write("<table id=\"regulators\"><thead><tr><th>Jurisdiction</th><th>Who</th><th class=\"num\">People</th><th class=\"num\">From</th><th>How</th></tr></thead><tbody>\n");
            foreach (var r in outcome.RegulatorsToNotify)
            {
                w.Write(Inv($"<tr><td>{E(r.Jurisdiction)}</td><td>{E(r.Regulator.Who)}</td><td class=\"num\">{N(r.People)}</td><td class=\"num\">{N(r.Regulator.MinResidents)}</td><td>{E(r.Regulator.Note ?? string.Empty)}</td></tr>\n"));
            }

            w.Write("</tbody></table>\n");
        }

        foreach (var o in outcome.Overlays.Where(o => o.People > 0))
        {
            w.Write(Inv($"<p class=\"note\">{E(o.Law.Name)} ({E(o.Law.Citation ?? string.Empty)}) covers {N(o.People)} people. "));
            w.Write(o.Binding
                ? "It was applied as binding (--hipaa).</p>\n"
                : "It binds only covered entities and business associates; it was not applied (run with --hipaa if it applies).</p>\n");
        }
    }

    private static void WriteFiles(TextWriter w, NotificationOutcome outcome, ReportOptions options)
    {
        // One pass over the people (they may stream from disk), a few counters per file.
        var files = new Dictionary<string, (int People, string? Last, HashSet<string> Elements)>(StringComparer.Ordinal);
        foreach (var person in outcome.Individuals)
        {
            foreach (var src in person.Sources)
            {
                if (!files.TryGetValue(src.Path, out var f))
                {
                    f = (0, null, new HashSet<string>(StringComparer.Ordinal));
                }

                if (!string.Equals(f.Last, person.Id, StringComparison.Ordinal) || f.People == 0)
                {
                    // People come in id order: a person's several sources in one file count once.
                    f = (f.People + 1, person.Id, f.Elements);
                }

                f.Elements.UnionWith(src.Elements);
                files[src.Path] = f;
            }
        }

        var byFile = files
            .Select(kv => (Path: kv.Key, kv.Value.People, Elements: ElementOrder.Sort(kv.Value.Elements)))
            .OrderByDescending(x => x.People)
            .ThenBy(x => x.Path, StringComparer.Ordinal)
            .ToList();
        w.Write(Inv($"<h2>Files exposing the most people</h2>\n<p class=\"muted\">{N(byFile.Count)} files hold someone's data"));
        w.Write(byFile.Count > options.MaxFiles ? Inv($"; the {options.MaxFiles} that expose the most people:</p>\n") : ".</p>\n");
        w.Write("<table id=\"files\"><thead><tr><th>File</th><th class=\"num\">People</th><th>Elements</th></tr></thead><tbody>\n");
        foreach (var f in byFile.Take(options.MaxFiles))
        {
            w.Write(Inv($"<tr><td><code>{E(f.Path)}</code></td><td class=\"num\">{N(f.People)}</td><td>{E(string.Join(", ", f.Elements))}</td></tr>\n"));
        }

        w.Write("</tbody></table>\n");
    }

    private static void WriteUnread(TextWriter w, ScanResult result, ReportOptions options)
    {
        var files = result.Results is ScanJournal journal
            ? journal.ReadFiles(CancellationToken.None)
            : result.Results.Read(CancellationToken.None).Select(i => i.File);
        var groups = files
            .Where(f => f.Status != FileStatus.Scanned)
            .GroupBy(f => (Status: WireName.Of(f.Status), Reason: f.Reason ?? "no reason given"))
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key.Status, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
            .ToList();
        w.Write("<h2>What could not be read</h2>\n");
        if (groups.Count == 0)
        {
            w.Write("<p>Every file was read completely.</p>\n");
            return;
        }

        w.Write("<p class=\"muted\">Skipped: not read on purpose. Partial: read in part. Failed: reading failed. Data in these files may be missing from this report.</p>\n");
        w.Write("<table id=\"unread\"><thead><tr><th>Status</th><th>Why</th><th class=\"num\">Files</th><th>For example</th></tr></thead><tbody>\n");
        foreach (var g in groups)
        {
            var examples = g.Select(f => f.Path).Order(StringComparer.Ordinal).Take(options.MaxUnreadExamples).Select(p => "<code>" + E(p) + "</code>");
            w.Write(Inv($"<tr><td>{E(g.Key.Status)}</td><td>{E(g.Key.Reason)}</td><td class=\"num\">{N(g.Count())}</td><td>{string.Join("<br>", examples)}</td></tr>\n"));
        }

        w.Write("</tbody></table>\n");
    }

    private static void WriteReview(TextWriter w, NotificationOutcome outcome)
    {
        if (outcome.Review.Count == 0)
        {
            return;
        }

        w.Write("<h2>Analyst review applied</h2>\n<table id=\"review\"><thead><tr><th>Action</th><th>Target</th><th>Reason</th><th>Result</th></tr></thead><tbody>\n");
        foreach (var a in outcome.Review)
        {
            w.Write($"<tr><td>{E(a.Action)}</td><td><code>{E(a.Target)}</code></td><td>{E(a.Reason ?? string.Empty)}</td><td>{(a.Applied ? string.Empty : "<strong>not applied:</strong> ")}{E(a.Detail)}</td></tr>\n");
        }

        w.Write("</tbody></table>\n");
    }

    private static void WritePeople(TextWriter w, NotificationOutcome outcome, Masker masker, ReportOptions options)
    {
        var shown = outcome.People.Take(options.MaxPeople).ToList();
        w.Write("<h2>People</h2>\n");
        w.Write(Inv($"<p class=\"muted\">Showing <span id=\"shown\">{N(shown.Count)}</span> of {N(outcome.People.Count)} people (by id). Type to search any column.</p>\n"));
        if (outcome.People.Count > shown.Count)
        {
            w.Write(Inv($"<p class=\"note\" id=\"capped\">Only the first {N(shown.Count)} people are listed here so the page stays small. All of them are in <code>index.db</code> (SQLite) beside this report, for example: <code>sqlite3 index.db \"SELECT id, name, elements, joined_by FROM individuals ORDER BY id LIMIT -1 OFFSET {shown.Count};\"</code> and, for one person's sources, <code>SELECT path, locator, elements FROM sources WHERE individual_id = 'ID';</code> (the index holds the scan's individuals before any review).</p>\n"));
        }

        w.Write("<input type=\"search\" id=\"q\" placeholder=\"Search names, states, files, elements…\" aria-label=\"search people\">\n");
        w.Write("<table id=\"people\"><thead><tr><th>Name</th><th>State</th><th>Notify</th><th>Data exposed</th><th>Found in</th><th>Why these records are one person</th></tr></thead><tbody>\n");
        foreach (var d in shown)
        {
            var p = d.Person;
            w.Write($"<tr id=\"p-{E(p.Id)}\"><td>{E(p.Name is null ? "(no name)" : masker.Mask(Elements.Name, p.Name))}<br><span class=\"muted\">{E(p.Id)}</span></td>");
            w.Write($"<td>{E(d.State)}</td><td>{(d.Notifiable ? "<span class=\"yes\">yes</span><br><span class=\"muted\">" + E(string.Join(", ", d.NoticeElements(outcome.CoveredEntity))) + "</span>" : "no")}</td><td>");
            foreach (var element in p.Elements.Where(e => e != Elements.Name))
            {
                var values = p.Values.TryGetValue(element, out var list) ? string.Join("; ", list.Select(v => IndexCsv.Format(element, v, masker))) : string.Empty;
                w.Write($"<strong>{E(element)}</strong> {E(values)}<br>");
            }

            w.Write("</td><td><ul class=\"src\">");
            foreach (var src in p.Sources.Take(options.MaxSourcesPerPerson))
            {
                w.Write($"<li><code>{E(src.Path)}</code> {E(src.Locator)}{(src.Deleted ? " (deleted)" : string.Empty)}: {E(string.Join(", ", src.Elements))}</li>");
            }

            if (p.Sources.Count > options.MaxSourcesPerPerson)
            {
                w.Write(Inv($"<li>and {N(p.Sources.Count - options.MaxSourcesPerPerson)} more</li>"));
            }

            w.Write("</ul></td><td>");
            w.Write(p.JoinedBy.Count == 0
                ? "one record"
                : string.Join("<br>", p.JoinedBy.Select(j => E(JoinWords.GetValueOrDefault(j.Key, j.Key)) + Inv($" ({N(j.Records)} record{(j.Records == 1 ? string.Empty : "s")})"))));
            w.Write("</td></tr>\n");
        }

        w.Write("</tbody></table>\n");
    }

    private static void BarChart(TextWriter w, string id, string title, IReadOnlyDictionary<string, long> counts)
    {
        const int label = 130, width = 420, bar = 20, gap = 6;
        var rows = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(kv => kv.Value));
        var height = 24 + (Math.Max(1, rows.Count) * (bar + gap));
        w.Write(Inv($"<svg id=\"{id}\" role=\"img\" aria-label=\"{E(title)}\" width=\"{label + width + 80}\" height=\"{height}\" viewBox=\"0 0 {label + width + 80} {height}\">"));
        w.Write($"<text x=\"0\" y=\"14\" font-weight=\"600\">{E(title)}</text>");
        if (rows.Count == 0)
        {
            w.Write("<text x=\"0\" y=\"40\">none</text>");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var y = 24 + (i * (bar + gap));
            var len = Math.Max(2, (int)Math.Round(width * (double)rows[i].Value / max));
            w.Write(Inv($"<text x=\"{label - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{E(rows[i].Key)}</text><rect x=\"{label}\" y=\"{y}\" width=\"{len}\" height=\"{bar}\" rx=\"3\" fill=\"#3b6fb6\"/>"));
            w.Write(Inv($"<text x=\"{label + len + 6}\" y=\"{y + 15}\" data-element=\"{E(rows[i].Key)}\">{N(rows[i].Value)}</text>"));
        }

        w.Write("</svg>\n");
    }

    private static void Card(TextWriter w, string id, long value, string label, bool alert) =>
        w.Write(Inv($"<div class=\"card{(alert ? " alert" : string.Empty)}\"><span class=\"n\" id=\"{id}\" data-value=\"{value}\">{N(value)}</span>{E(label)}</div>\n"));

    // Light to dark blue by t in [0, 1].
    private static string Shade(double t)
    {
        var r = (int)Math.Round(214 - (t * (214 - 30)));
        var g = (int)Math.Round(228 - (t * (228 - 76)));
        var b = (int)Math.Round(245 - (t * (245 - 140)));
        return Inv($"#{r:x2}{g:x2}{b:x2}");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
