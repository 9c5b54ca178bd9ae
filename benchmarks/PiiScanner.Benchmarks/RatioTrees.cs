using System.Globalization;
using System.Text;
using PiiScanner.Testing;

namespace PiiScanner.Benchmarks;

/// <summary>What one generated tree holds.</summary>
internal sealed record RatioTree(string Name, string Root, int Files, long Bytes);

/// <summary>
/// The four trees of the <c>rg-ratio</c> benchmark, each deterministic for its seed: office prose with almost no
/// personal data, documentation-like HTML, application logs with occasional PII lines, and dense PII exports
/// (<see cref="SyntheticShare"/>). Every value is synthetic.
/// </summary>
internal static class RatioTrees
{
    public static readonly string[] Names = ["prose", "html", "logs", "dense"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static readonly string[] Words = ["the", "committee", "reviewed", "quarterly", "budget", "and", "agreed", "to", "revisit", "proposal", "at", "next", "meeting", "of", "board", "staff", "report", "annual", "program", "funding", "county", "services", "office", "training", "schedule", "update", "policy", "review", "contract", "vendor", "invoice", "total", "department", "facilities", "parking", "renovation", "grant", "application", "deadline", "community", "outreach", "volunteers", "survey", "results", "recommendations", "implementation", "phase", "within", "during", "following", "regarding", "previous", "additional", "several", "members", "public", "comment", "period", "approved", "minutes", "district", "regional", "planning", "water", "road", "maintenance", "equipment", "purchase", "request", "submitted", "for", "is", "was", "will", "be", "has", "have", "been", "on", "in", "with", "by", "from", "that", "this", "these", "our", "their", "all", "new"];

    private static readonly string[] Departments = ["Finance", "Facilities", "Human Resources", "Public Works", "Planning", "Information Technology", "Parks and Recreation", "Procurement", "Records", "Community Services"];

    private static readonly string[] Topics = ["installation", "configuration", "authentication", "deployment", "logging", "caching", "routing", "migrations", "webhooks", "rate limits", "pagination", "backups", "monitoring", "permissions", "search"];

    private static readonly string[] Services = ["api", "auth", "billing", "orders", "search", "gateway", "worker", "scheduler", "notifier", "inventory"];

    private static readonly string[] Paths = ["/api/v2/orders", "/api/v2/orders/{0}", "/api/v2/customers/{0}/invoices", "/health", "/api/v1/search?q=item&page={0}", "/static/app.{0:x}.js", "/api/v2/carts/{0}/items", "/login", "/api/v2/shipments/{0}/track"];

    private static readonly string[] Messages = ["request completed", "cache miss, loading from store", "retrying upstream call", "connection pool exhausted, waiting", "slow query detected", "token refreshed", "job finished", "message acknowledged", "payload validated", "lock acquired"];

    /// <summary>Writes the tree <paramref name="name"/> of about <paramref name="bytes"/> bytes under <paramref name="root"/>.</summary>
    public static RatioTree Write(string name, string root, long bytes) => name switch
    {
        "prose" => Prose(root, bytes),
        "html" => Html(root, bytes),
        "logs" => Logs(root, bytes),
        "dense" => Dense(root, bytes),
        _ => throw new ArgumentException("unknown tree " + name + " (prose, html, logs, dense)", nameof(name)),
    };

    /// <summary>Memos and letters of 8–64 KB in department folders; one file in 250 names a person with an SSN.</summary>
    private static RatioTree Prose(string root, long target)
    {
        var random = new Random(11);
        var people = SyntheticShare.People(200, seed: 11);
        var files = 0;
        long bytes = 0;
        while (bytes < target)
        {
            var department = Departments[files % Departments.Length];
            var folder = Path.Combine(root, department, (2015 + (files / 400 % 9)).ToString(CultureInfo.InvariantCulture));
            var size = random.Next(8, 65) * 1024;
            var text = new StringBuilder(size + 512);
            var date = new DateOnly(2015, 1, 5).AddDays(random.Next(0, 3300));
            var letter = files % 3 == 2;
            if (letter)
            {
                text.Append(CultureInfo.InvariantCulture, $"{department} Department\n{random.Next(10, 999)} Main Street, Suite {random.Next(100, 500)}\n\n{date:MMMM d, yyyy}\n\nDear Resident,\n\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"MEMORANDUM\n\nTO: All {department} staff\nFROM: Office of the Director\nDATE: {date:MMMM d, yyyy}\nRE: {Sentence(random, 6).TrimEnd('.')}\n\n");
            }

            while (text.Length < size)
            {
                var sentences = random.Next(3, 8);
                for (var s = 0; s < sentences; s++)
                {
                    text.Append(Sentence(random, random.Next(8, 22))).Append(' ');
                    if (random.Next(6) == 0)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"The estimate of ${random.Next(1, 900)},{random.Next(0, 1000):000} covers room {random.Next(100, 450)} through {date.AddDays(random.Next(10, 90)):MM/dd/yyyy}. ");
                    }
                }

                text.Append("\n\n");
            }

            if (files % 250 == 7)
            {
                var p = people[files / 250 % people.Count];
                text.Append(CultureInfo.InvariantCulture, $"Regarding the reimbursement for {p.First} {p.Last} (SSN {p.Ssn}), please forward the form to payroll.\n\n");
            }

            text.Append(letter ? "Sincerely,\n\nThe Director\n" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(department) + " | ext. " + random.Next(2000, 2999).ToString(CultureInfo.InvariantCulture) + "\n");
            var kind = letter ? "letter" : "memo";
            bytes += WriteText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{kind}_{date:yyyyMMdd}_{files:00000}.txt")), text.ToString());
            files++;
        }

        return new RatioTree("prose", root, files, bytes);
    }

    /// <summary>Documentation pages of 4–48 KB: head with style and script, navigation, headings, option tables, code samples.</summary>
    private static RatioTree Html(string root, long target)
    {
        var random = new Random(13);
        var files = 0;
        long bytes = 0;
        while (bytes < target)
        {
            var topic = Topics[files % Topics.Length];
            var size = random.Next(4, 49) * 1024;
            var page = new StringBuilder(size + 2048);
            page.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{topic} — Guide, part {files}</title>\n");
            page.Append("<style>\nbody { font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0; color: #1f2328; }\n.nav a { padding: 4px 12px; color: #0969da; }\ntable { border-collapse: collapse; width: 100%; }\ntd, th { border: 1px solid #d0d7de; padding: 6px 13px; }\npre { background: #f6f8fa; padding: 16px; overflow: auto; }\n</style>\n");
            page.Append(CultureInfo.InvariantCulture, $"<script>\nwindow.dataLayer = window.dataLayer || [];\nfunction gtag() {{ dataLayer.push(arguments); }}\ngtag('config', 'G-{random.Next():X8}', {{ 'page_path': '/docs/{topic}/{files}' }});\ndocument.addEventListener('DOMContentLoaded', () => document.querySelectorAll('pre').forEach(p => p.classList.add('hl')));\n</script>\n</head>\n<body>\n");
            page.Append("<nav class=\"nav\">");
            foreach (var t in Topics)
            {
                page.Append(CultureInfo.InvariantCulture, $"<a href=\"/docs/{t.Replace(' ', '-')}/index.html\">{t}</a>");
            }

            page.Append(CultureInfo.InvariantCulture, $"</nav>\n<main>\n<h1>{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(topic)}</h1>\n");
            while (page.Length < size)
            {
                page.Append(CultureInfo.InvariantCulture, $"<h2 id=\"s{page.Length}\">{Sentence(random, 4).TrimEnd('.')}</h2>\n<p>{Sentence(random, 18)} {Sentence(random, 12)} See <a href=\"#s{random.Next(100000)}\">section {random.Next(1, 20)}.{random.Next(1, 9)}</a>.</p>\n");
                switch (random.Next(3))
                {
                    case 0:
                        page.Append("<table>\n<thead><tr><th>Option</th><th>Type</th><th>Default</th><th>Description</th></tr></thead>\n<tbody>\n");
                        for (var r = random.Next(3, 12); r > 0; r--)
                        {
                            page.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{Words[random.Next(Words.Length)]}.{Words[random.Next(Words.Length)]}</code></td><td>int</td><td>{random.Next(0, 65536)}</td><td>{Sentence(random, 9)}</td></tr>\n");
                        }

                        page.Append("</tbody>\n</table>\n");
                        break;
                    case 1:
                        page.Append(CultureInfo.InvariantCulture, $"<pre><code class=\"language-bash\">$ curl -s -H 'Authorization: Bearer {random.Next():x8}{random.Next():x8}' https://api.example.com/v2/{topic.Replace(' ', '-')}?limit={random.Next(10, 500)}\n{{\"id\": {random.Next()}, \"version\": \"{random.Next(1, 9)}.{random.Next(0, 20)}.{random.Next(0, 100)}\", \"updated\": \"2024-0{random.Next(1, 10)}-1{random.Next(0, 10)}T08:00:00Z\"}}\n</code></pre>\n");
                        break;
                    default:
                        page.Append("<ul>\n");
                        for (var l = random.Next(2, 7); l > 0; l--)
                        {
                            page.Append("<li>").Append(Sentence(random, random.Next(5, 14))).Append("</li>\n");
                        }

                        page.Append("</ul>\n");
                        break;
                }
            }

            page.Append(CultureInfo.InvariantCulture, $"</main>\n<footer><p>&copy; 2024 Example Corp. Build {random.Next():x8}. <a href=\"/privacy.html\">Privacy</a></p></footer>\n</body>\n</html>\n");
            var folder = Path.Combine(root, "docs", topic.Replace(' ', '-'), "v" + (files / 300 % 5).ToString(CultureInfo.InvariantCulture));
            bytes += WriteText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"page-{files:00000}.html")), page.ToString());
            files++;
        }

        return new RatioTree("html", root, files, bytes);
    }

    /// <summary>Rotated application logs of 256 KB–4 MB: ISO timestamps, request ids, IPs, hex traces, durations; one line in 2,000 holds a person.</summary>
    private static RatioTree Logs(string root, long target)
    {
        var random = new Random(17);
        var people = SyntheticShare.People(500, seed: 17);
        var files = 0;
        long bytes = 0;
        var time = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var lineNumber = 0L;
        while (bytes < target)
        {
            var service = Services[files % Services.Length];
            var size = random.Next(256, 4097) * 1024L;
            var text = new StringBuilder((int)size + 512);
            while (text.Length < size)
            {
                time = time.AddMilliseconds(random.Next(1, 900));
                var level = random.Next(100) switch { < 80 => "INFO", < 93 => "DEBUG", < 98 => "WARN", _ => "ERROR" };
                text.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-ddTHH:mm:ss.fff}Z {level,-5} [{service}-{random.Next(1, 9)}] ");
                if (++lineNumber % 2000 == 0)
                {
                    var p = people[(int)(lineNumber / 2000 % people.Count)];
                    text.Append(CultureInfo.InvariantCulture, $"lookup member ssn={p.Ssn} name=\"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()}\" dob={p.Dob:yyyy-MM-dd}\n");
                    continue;
                }

                var path = string.Format(CultureInfo.InvariantCulture, Paths[random.Next(Paths.Length)], random.Next(1, 999999));
                switch (random.Next(4))
                {
                    case 0:
                        text.Append(CultureInfo.InvariantCulture, $"{Messages[random.Next(Messages.Length)]} job={random.Next():x8} attempt={random.Next(1, 4)} elapsed={random.Next(1, 5000)}ms\n");
                        break;
                    default:
                        text.Append(CultureInfo.InvariantCulture, $"req={random.Next():x8}-{random.Next(65536):x4}-{random.Next(65536):x4}-{random.Next(65536):x4}-{random.Next():x8}{random.Next(65536):x4} ip=10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)} method=GET path={path} status={(random.Next(20) == 0 ? 500 : 200)} bytes={random.Next(100, 250000)} took={random.Next(1, 2000)}.{random.Next(100):00}ms trace={random.Next():x8}{random.Next():x8}\n");
                        break;
                }
            }

            var folder = Path.Combine(root, "var", "log", service);
            bytes += WriteText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{service}.log.{files / Services.Length}")), text.ToString());
            files++;
        }

        return new RatioTree("logs", root, files, bytes);
    }

    /// <summary>CSV, pipe-delimited, JSON, UTF-16 notes and logs of people, as many department copies as reach the size.</summary>
    private static RatioTree Dense(string root, long target)
    {
        const int People = 2000;
        var probe = Path.Combine(root + "-probe");
        var one = SyntheticShare.Write(probe, People, seed: 42, copies: 1);
        Directory.Delete(probe, recursive: true);
        var copies = (int)Math.Max(1, Math.Round((double)target / one.Bytes));
        var truth = SyntheticShare.Write(root, People, seed: 42, copies: copies);
        return new RatioTree("dense", root, truth.Files, truth.Bytes);
    }

    private static string Sentence(Random random, int words)
    {
        var text = new StringBuilder(words * 8);
        for (var w = 0; w < words; w++)
        {
            var word = Words[random.Next(Words.Length)];
            text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w == words - 1 ? "." : " ");
        }

        return text.ToString();
    }

    private static long WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Utf8.GetBytes(text);
        File.WriteAllBytes(path, bytes);
        return bytes.Length;
    }
}
