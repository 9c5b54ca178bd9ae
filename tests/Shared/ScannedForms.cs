using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace PiiScanner.Tests.Shared;

/// <summary>A synthetic patient on a scanned intake form.</summary>
public sealed record FormPerson(string First, string Last, string Ssn, string Dob, string Phone, string Street, string City)
{
    public string Name => First + " " + Last;

    /// <summary>The fields a reader of the form would copy, by label (for field accuracy).</summary>
    public IReadOnlyList<(string Field, string Value)> Fields =>
        [("name", Name), ("ssn", Ssn), ("dob", Dob), ("phone", Phone), ("street", Street), ("city", City)];
}

/// <summary>A grey page: one byte a pixel, 0 black, 255 white.</summary>
public sealed record GrayPage(int Width, int Height, byte[] Pixels, int Dpi);

/// <summary>
/// Scanned paper for the OCR tests and benchmark: an intake form is written as a PDF with a real TrueType font
/// (DejaVu Sans, Debian <c>fonts-dejavu-core</c>), rendered to grey pixels with poppler's <c>pdftoppm</c>, optionally
/// roughened like a scan (specks, uneven grey), and written out as PNG, JPEG, TIFF (grey or bilevel "fax", one or many
/// pages) or an image-only PDF. Needs <c>pdftoppm</c> on PATH.
/// </summary>
public static class ScannedForms
{
    public const string FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private static readonly string[] Firsts = ["Margaret", "Tobias", "Evelyn", "Desmond", "Lucinda", "Harold", "Priya", "Winston", "Rosalind", "Cornelius", "Imogen", "Bartholomew"];
    private static readonly string[] Lasts = ["Whitfield", "Okonkwo", "Castellano", "Pemberton", "Lindqvist", "Abernathy", "Nakamura", "Fairbanks", "Delacroix", "Huxley", "Marchetti", "Thornbury"];
    private static readonly string[] Streets = ["Oak Street", "Maple Avenue", "Cedar Lane", "Birch Road", "Willow Drive", "Elm Court"];
    private static readonly string[] Cities = ["Springfield, IL 62704", "Madison, WI 53703", "Dayton, OH 45402", "Tacoma, WA 98402", "Reno, NV 89501"];

    public static bool ToolsPresent => Which("pdftoppm") is not null && File.Exists(FontPath);

    /// <summary>A deterministic person for <paramref name="seed"/> with a valid-shaped SSN.</summary>
    public static FormPerson Person(int seed)
    {
        var random = new Random(seed);
        var area = random.Next(1, 899);
        if (area == 666)
        {
            area = 667;
        }

        var ssn = $"{area:D3}-{random.Next(1, 99):D2}-{random.Next(1, 9999):D4}";
        var dob = $"{random.Next(1, 13):D2}/{random.Next(1, 29):D2}/{random.Next(1935, 2005)}";
        var phone = $"({random.Next(201, 989)}) {random.Next(201, 999)}-{random.Next(0, 9999):D4}";
        return new FormPerson(
            Firsts[random.Next(Firsts.Length)],
            Lasts[random.Next(Lasts.Length)],
            ssn,
            dob,
            phone,
            $"{random.Next(10, 9999)} {Streets[random.Next(Streets.Length)]}",
            Cities[random.Next(Cities.Length)]);
    }

    /// <summary>The lines of one person's form, top to bottom, with the label/value layout of a paper intake form.</summary>
    public static IReadOnlyList<string> FormLines(FormPerson p) =>
    [
        "RIVERSIDE FAMILY CLINIC",
        "Patient Intake Form",
        "Patient Name: " + p.Name,
        "Date of Birth: " + p.Dob,
        "Social Security No: " + p.Ssn,
        "Phone: " + p.Phone,
        "Address: " + p.Street,
        "City/State/Zip: " + p.City,
        "Reason for visit: annual physical and blood pressure check.",
        "I certify that the information above is correct.",
    ];

    /// <summary>A PDF with a text layer, one page per person (Letter size).</summary>
    public static byte[] TextPdf(IEnumerable<FormPerson> people)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddTrueTypeFont(File.ReadAllBytes(FontPath));
        foreach (var person in people)
        {
            var page = builder.AddPage(612, 792);
            var y = 720.0;
            var first = true;
            foreach (var line in FormLines(person))
            {
                page.AddText(line, first ? 16 : 12, new PdfPoint(72, y), font);
                y -= first ? 32 : 26;
                first = false;
            }
        }

        return builder.Build();
    }

    /// <summary>Renders every page of a PDF to grey pixels with <c>pdftoppm</c>.</summary>
    public static List<GrayPage> Render(byte[] pdf, int dpi)
    {
        var folder = Path.Combine(Path.GetTempPath(), "piiscan-render-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var input = Path.Combine(folder, "in.pdf");
            File.WriteAllBytes(input, pdf);
            Run("pdftoppm", "-gray", "-r", dpi.ToString(CultureInfo.InvariantCulture), input, Path.Combine(folder, "p"));
            return Directory.GetFiles(folder, "p*.pgm").Order(StringComparer.Ordinal).Select(f => ReadPgm(File.ReadAllBytes(f), dpi)).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Renders the first page of a PDF straight to JPEG with <c>pdftoppm</c>.</summary>
    public static byte[] RenderJpeg(byte[] pdf, int dpi)
    {
        var folder = Path.Combine(Path.GetTempPath(), "piiscan-render-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var input = Path.Combine(folder, "in.pdf");
            File.WriteAllBytes(input, pdf);
            Run("pdftoppm", "-jpeg", "-gray", "-singlefile", "-f", "1", "-l", "1", "-r", dpi.ToString(CultureInfo.InvariantCulture), input, Path.Combine(folder, "p"));
            return File.ReadAllBytes(Path.Combine(folder, "p.jpg"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Roughens a clean render like a photocopied scan: random specks and uneven grey (deterministic).</summary>
    public static GrayPage Roughen(GrayPage page, int seed, double specks = 0.002, int greyJitter = 40)
    {
        var random = new Random(seed);
        var pixels = (byte[])page.Pixels.Clone();
        for (var i = 0; i < pixels.Length; i++)
        {
            var v = pixels[i] - random.Next(greyJitter / 2) + random.Next(greyJitter / 2);
            if (random.NextDouble() < specks)
            {
                v = random.Next(2) == 0 ? 0 : 255;
            }

            pixels[i] = (byte)Math.Clamp(v, 0, 255);
        }

        return page with { Pixels = pixels };
    }

    /// <summary>An 8-bit grey PNG.</summary>
    public static byte[] Png(GrayPage page)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, page.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), page.Height);
        header[8] = 8; // bit depth
        header[9] = 0; // grey
        Chunk(output, "IHDR", header);
        var dpm = (int)Math.Round(page.Dpi / 0.0254);
        var phys = new byte[9];
        BinaryPrimitives.WriteInt32BigEndian(phys, dpm);
        BinaryPrimitives.WriteInt32BigEndian(phys.AsSpan(4), dpm);
        phys[8] = 1;
        Chunk(output, "pHYs", phys);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var y = 0; y < page.Height; y++)
                {
                    z.WriteByte(0);
                    z.Write(page.Pixels, y * page.Width, page.Width);
                }
            }

            Chunk(output, "IDAT", raw.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A PNG header declaring <paramref name="width"/> × <paramref name="height"/> pixels (a decompression bomb's shape).</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1;
        Chunk(output, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                z.Write(new byte[1 << 20]);
            }

            Chunk(output, "IDAT", raw.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// An uncompressed little-endian TIFF with one page per image: 8-bit grey, or 1-bit bilevel (<paramref name="fax"/>,
    /// as fax machines store pages).
    /// </summary>
    public static byte[] Tiff(IReadOnlyList<GrayPage> pages, bool fax = false)
    {
        using var output = new MemoryStream();
        output.Write("II*\0"u8);
        output.Write(new byte[4]); // first IFD offset, patched below
        var previousNext = 4L;
        foreach (var page in pages)
        {
            var data = fax ? Bilevel(page) : page.Pixels;
            var dataOffset = output.Position;
            output.Write(data);
            if ((output.Position & 1) != 0)
            {
                output.WriteByte(0);
            }

            var resolution = output.Position;
            var rational = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(rational, (uint)page.Dpi);
            BinaryPrimitives.WriteUInt32LittleEndian(rational[4..], 1);
            output.Write(rational);

            var ifd = output.Position;
            Patch(output, previousNext, (uint)ifd);
            (ushort Tag, ushort Type, uint Value)[] entries =
            [
                (256, 4, (uint)page.Width),
                (257, 4, (uint)page.Height),
                (258, 3, fax ? 1u : 8u),
                (259, 3, 1),
                (262, 3, fax ? 0u : 1u),
                (273, 4, (uint)dataOffset),
                (277, 3, 1),
                (278, 4, (uint)page.Height),
                (279, 4, (uint)data.Length),
                (282, 5, (uint)resolution),
                (283, 5, (uint)resolution),
                (296, 3, 2),
            ];
            var buffer = new byte[2 + (12 * entries.Length) + 4];
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)entries.Length);
            for (var i = 0; i < entries.Length; i++)
            {
                var at = 2 + (12 * i);
                BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(at), entries[i].Tag);
                BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(at + 2), entries[i].Type);
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at + 4), 1);
                if (entries[i].Type == 3)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(at + 8), (ushort)entries[i].Value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at + 8), entries[i].Value);
                }
            }

            output.Write(buffer);
            previousNext = output.Position - 4;
        }

        return output.ToArray();
    }

    /// <summary>A PDF whose pages are only images (no text layer), as a scanner's "scan to PDF" writes.</summary>
    /// <param name="pages">The page images.</param>
    /// <param name="stamp">Text drawn over each scan (a Bates number), or null for none.</param>
    public static byte[] ImageOnlyPdf(IEnumerable<GrayPage> pages, string? stamp = null)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        foreach (var image in pages)
        {
            var width = image.Width * 72.0 / image.Dpi;
            var height = image.Height * 72.0 / image.Dpi;
            var page = builder.AddPage(width, height);
            page.AddPng(Png(image), new PdfRectangle(0, 0, width, height));
            if (stamp is not null)
            {
                page.AddText(stamp, 10, new PdfPoint(width - 200, 24), font);
            }
        }

        return builder.Build();
    }

    /// <summary>Runs a tool (no shell); throws with its error output when it fails.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Which(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }

    public static string? Which(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);

    private static GrayPage ReadPgm(byte[] data, int dpi)
    {
        // P5 <w> <h> <max>\n<pixels>
        var fields = new List<int>();
        var i = 2;
        while (fields.Count < 3)
        {
            while (char.IsWhiteSpace((char)data[i]))
            {
                i++;
            }

            var start = i;
            while (!char.IsWhiteSpace((char)data[i]))
            {
                i++;
            }

            fields.Add(int.Parse(Encoding.ASCII.GetString(data, start, i - start), CultureInfo.InvariantCulture));
        }

        i++;
        return new GrayPage(fields[0], fields[1], data[i..(i + (fields[0] * fields[1]))], dpi);
    }

    private static byte[] Bilevel(GrayPage page)
    {
        var stride = (page.Width + 7) / 8;
        var data = new byte[stride * page.Height];
        for (var y = 0; y < page.Height; y++)
        {
            for (var x = 0; x < page.Width; x++)
            {
                if (page.Pixels[(y * page.Width) + x] < 128)
                {
                    data[(y * stride) + (x / 8)] |= (byte)(0x80 >> (x % 8)); // WhiteIsZero: 1 is black
                }
            }
        }

        return data;
    }

    private static void Patch(MemoryStream output, long at, uint value)
    {
        var position = output.Position;
        output.Position = at;
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        output.Write(bytes);
        output.Position = position;
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32(typeBytes, data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
