using System.Globalization;
using System.Reflection;
using System.Text;
using PiiScanner.Detection;

namespace PiiScanner.Index;

/// <summary>
/// Writes findings as bulk_extractor feature files, one per element (<c>ssn.txt</c>, <c>dob.txt</c>…), in a folder,
/// for analysts whose tools read that format. Each file starts with bulk_extractor-style comment lines
/// (<c># Feature-Recorder: ssn</c>, <c># Feature-File-Version: 1.1</c>) and has one line per finding:
/// <c>offset&lt;TAB&gt;feature&lt;TAB&gt;context</c>.
/// <list type="bullet">
/// <item><description>offset: the image byte offset of the match for raw pages of a disk image (unallocated space,
/// whole-image pages: items with <see cref="Sources.ItemOrigin.ImageOffset"/>); for a file, the item path
/// (<c>p1/home/a.txt</c>), like bulk_extractor's forensic paths that name where the bytes were decoded from.</description></item>
/// <item><description>feature: the value, masked unless <c>reveal</c> is set.</description></item>
/// <item><description>context: the locator (<c>line 12</c>, <c>offset 1363968</c>), plus the item path for raw pages
/// (and, in parentheses, the file owning the bytes when The Sleuth Kit could tell: <see cref="Finding.Owner"/>)
/// and <c>deleted</c> / the address for deleted files. Never the surrounding text.</description></item>
/// </list>
/// Bytes outside printable ASCII in a field are written as UTF-8 except control characters and backslash, which are
/// escaped <c>\xHH</c> as bulk_extractor does. Files are created owner-only (0600) and replaced if they exist.
/// Only <see cref="OnCompletedAsync"/> writes (the results come sorted from the scan, so output is deterministic).
/// </summary>
public sealed class BulkExtractorFeatureSink : IScanSink
{
    private readonly string _directory;
    private readonly bool _reveal;

    /// <summary>Creates the sink.</summary>
    /// <param name="directory">Folder for the feature files (created owner-only if missing).</param>
    /// <param name="reveal">Write values unmasked (for the notification vendor); masked by default.</param>
    public BulkExtractorFeatureSink(string directory, bool reveal = false)
    {
        _directory = directory;
        _reveal = reveal;
    }

    /// <inheritdoc />
    public ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
        }
        else
        {
            Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var byElement = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var item in result.Results.Read(cancellationToken))
        {
            foreach (var finding in item.Findings)
            {
                if (!byElement.TryGetValue(finding.Element, out var lines))
                {
                    byElement[finding.Element] = lines = [];
                }

                lines.Add(FormatLine(item.File, finding, _reveal));
            }
        }

        var roots = string.Join(", ", result.Summary.Roots);
        var version = typeof(BulkExtractorFeatureSink).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        foreach (var (element, lines) in byElement)
        {
            var path = Path.Combine(_directory, SafeFileName(element) + ".txt");
            var stream = CreateOwnerOnly(path);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
                await using (writer.ConfigureAwait(false))
                {
                    await writer.WriteLineAsync($"# PiiScanner-Version: {version}".AsMemory(), cancellationToken).ConfigureAwait(false);
                    await writer.WriteLineAsync($"# Feature-Recorder: {element}".AsMemory(), cancellationToken).ConfigureAwait(false);
                    await writer.WriteLineAsync($"# Filename: {Escape(roots)}".AsMemory(), cancellationToken).ConfigureAwait(false);
                    await writer.WriteLineAsync($"# Masked: {(_reveal ? "false" : "true")}".AsMemory(), cancellationToken).ConfigureAwait(false);
                    await writer.WriteLineAsync("# Feature-File-Version: 1.1".AsMemory(), cancellationToken).ConfigureAwait(false);
                    foreach (var line in lines)
                    {
                        await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>One feature line (without the newline).</summary>
    internal static string FormatLine(FileRecord file, Finding finding, bool reveal)
    {
        var origin = file.Origin;
        string offset;
        string context;
        if (origin?.ImageOffset is { } pageOffset)
        {
            offset = (finding.ByteOffset ?? LocatorOffset(finding.Locator) ?? pageOffset).ToString(CultureInfo.InvariantCulture);
            context = finding.Owner is { } owner ? $"{finding.Locator} in {file.Path} ({owner})" : $"{finding.Locator} in {file.Path}";
        }
        else
        {
            offset = file.Path;
            context = origin is { Deleted: true }
                ? $"{finding.Locator} (deleted, address {origin.Inode})"
                : finding.Locator;
        }

        var feature = reveal ? finding.Value : Mask(finding.Element, finding.Value);
        return $"{Escape(offset)}\t{Escape(feature)}\t{Escape(context)}";
    }

    /// <summary>Reads N out of a raw-page locator <c>offset N</c> (or <c>offset N utf-16le</c>).</summary>
    private static long? LocatorOffset(string locator)
    {
        if (!locator.StartsWith("offset ", StringComparison.Ordinal))
        {
            return null;
        }

        var digits = locator.AsSpan(7);
        var end = digits.IndexOf(' ');
        return long.TryParse(end >= 0 ? digits[..end] : digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>
    /// Masks a value for the feature file: SSN-like values keep their last four digits (<c>***-**-6701</c>), dates keep
    /// the year, names keep initials, e-mail keeps the domain, everything else keeps its last four letters or digits.
    /// </summary>
    internal static string Mask(string element, string value)
    {
        switch (element)
        {
            case Elements.Ssn or Elements.Itin when value.Length == 9 && value.All(char.IsAsciiDigit):
                return "***-**-" + value[5..];
            case Elements.Dob when value.Length == 10:
                return value[..4] + "-**-**";
            case Elements.Name:
                return string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[0] + new string('*', Math.Max(1, w.Length - 1))));
            case Elements.Email when value.IndexOf('@', StringComparison.Ordinal) is var at and > 0:
                return value[0] + "***" + value[at..];
            default:
                var visible = 4;
                var chars = value.ToCharArray();
                for (var i = chars.Length - 1; i >= 0; i--)
                {
                    if (char.IsLetterOrDigit(chars[i]))
                    {
                        if (visible > 0 && chars.Length > 4)
                        {
                            visible--;
                        }
                        else
                        {
                            chars[i] = '*';
                        }
                    }
                }

                return new string(chars);
        }
    }

    /// <summary>bulk_extractor's escaping: control characters, DEL and backslash as <c>\xHH</c>.</summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 0x20 || c == 0x7F || c == '\\')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string SafeFileName(string element)
    {
        var builder = new StringBuilder(element.Length);
        foreach (var c in element)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return builder.ToString();
    }

    private static FileStream CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode only applies to new files; an existing file keeps its mode unless we set it.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return stream;
    }
}
