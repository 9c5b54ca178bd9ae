namespace PiiScanner.Extraction.Sql;

/// <summary>What the head of a text says about it as an SQL dump.</summary>
internal enum SqlDialect
{
    /// <summary>Not an SQL dump.</summary>
    None,

    /// <summary>MySQL / MariaDB or a generic script: backslash escapes in strings.</summary>
    MySql,

    /// <summary>PostgreSQL: backslashes are literal in plain strings; COPY blocks.</summary>
    Postgres,
}

/// <summary>
/// Recognises SQL dumps from their decoded head: a <c>-- MySQL dump</c> / <c>-- MariaDB dump</c> /
/// <c>-- PostgreSQL database dump</c> banner, or text whose first statements (after comments and SET, DROP, USE,
/// LOCK, BEGIN…) are CREATE TABLE, INSERT INTO or COPY … FROM stdin. Stateless.
/// </summary>
internal static class SqlDumpSniffer
{
    private static readonly string[] Preamble =
    [
        "SET ", "DROP ", "USE ", "LOCK ", "UNLOCK ", "BEGIN", "START TRANSACTION", "CREATE DATABASE", "CREATE SCHEMA",
        "SELECT PG_CATALOG.", "COMMENT ON", "CREATE EXTENSION", "ALTER ", "PRAGMA ", "CREATE SEQUENCE", "CREATE TYPE",
    ];

    private static readonly string[] Data = ["CREATE TABLE", "CREATE TEMPORARY TABLE", "CREATE UNLOGGED TABLE", "INSERT INTO", "INSERT IGNORE INTO", "REPLACE INTO", "COPY "];

    public static SqlDialect Sniff(string head)
    {
        var banner = head.AsSpan(0, Math.Min(head.Length, 2048));
        if (banner.Contains("-- PostgreSQL database dump", StringComparison.Ordinal))
        {
            return SqlDialect.Postgres;
        }

        if (banner.Contains("-- MySQL dump", StringComparison.Ordinal) || banner.Contains("-- MariaDB dump", StringComparison.Ordinal))
        {
            return SqlDialect.MySql;
        }

        var i = 0;
        var postgres = false;
        for (var statements = 0; statements < 12; statements++)
        {
            i = SkipSpaceAndComments(head, i);
            if (i >= head.Length)
            {
                return SqlDialect.None;
            }

            var rest = head.AsSpan(i, Math.Min(64, head.Length - i));
            if (rest[0] == '\\')
            {
                // psql meta-command: one line.
                var nl = head.IndexOf('\n', i);
                i = nl < 0 ? head.Length : nl + 1;
                postgres = true;
                continue;
            }

            if (StartsWithAny(rest, Data))
            {
                if (StartsWithWords(rest, "COPY "))
                {
                    var line = head.AsSpan(i, (head.IndexOf('\n', i) is var nl and >= 0 ? nl : head.Length) - i);
                    return line.Contains("FROM stdin", StringComparison.OrdinalIgnoreCase) ? SqlDialect.Postgres : SqlDialect.None;
                }

                return postgres ? SqlDialect.Postgres : SqlDialect.MySql;
            }

            if (!StartsWithAny(rest, Preamble))
            {
                return SqlDialect.None;
            }

            postgres |= StartsWithWords(rest, "SELECT PG_CATALOG.") || rest.StartsWith("SET standard_conforming_strings", StringComparison.OrdinalIgnoreCase);
            var end = StatementEnd(head, i);
            if (end < 0)
            {
                return SqlDialect.None;
            }

            i = end + 1;
        }

        return SqlDialect.None;
    }

    private static bool StartsWithAny(ReadOnlySpan<char> text, string[] options)
    {
        foreach (var option in options)
        {
            if (StartsWithWords(text, option))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithWords(ReadOnlySpan<char> text, string words)
    {
        // Compare with runs of whitespace folded to one space.
        var t = 0;
        foreach (var w in words)
        {
            if (w == ' ')
            {
                if (t >= text.Length || !char.IsWhiteSpace(text[t]))
                {
                    return false;
                }

                while (t < text.Length && char.IsWhiteSpace(text[t]))
                {
                    t++;
                }

                continue;
            }

            if (t >= text.Length || char.ToUpperInvariant(text[t]) != w)
            {
                return false;
            }

            t++;
        }

        return true;
    }

    private static int SkipSpaceAndComments(string s, int i)
    {
        while (i < s.Length)
        {
            if (char.IsWhiteSpace(s[i]) || s[i] == '\uFEFF')
            {
                i++;
            }
            else if (s[i] == '#' || (s[i] == '-' && i + 1 < s.Length && s[i + 1] == '-'))
            {
                var nl = s.IndexOf('\n', i);
                i = nl < 0 ? s.Length : nl + 1;
            }
            else if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;

                // `/*!40101 SET … */;`: the statement's semicolon follows the comment.
                var j = i;
                while (j < s.Length && s[j] is ' ' or '\t')
                {
                    j++;
                }

                if (j < s.Length && s[j] == ';')
                {
                    i = j + 1;
                }
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static int StatementEnd(string s, int i)
    {
        var quote = '\0';
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote != '`')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"' or '`')
            {
                quote = c;
            }
            else if (c == ';')
            {
                return i;
            }
        }

        return -1;
    }
}
