using System.Globalization;
using System.Text;
using ExcelDataReader;
using ExcelDataReader.Exceptions;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Office;

/// <summary>
/// Legacy Excel workbooks (.xls, BIFF in an OLE2 compound file) through ExcelDataReader: every sheet as rows with
/// the header row's column names, like <see cref="XlsxExtractor"/> (<c>Sheet!A17</c>, fields <c>Sheet!C17</c>),
/// number formats applied. Claims an OLE2 file only when it holds a <c>Workbook</c>/<c>Book</c> stream, so Word
/// .doc and other compound files are left to the extractors after it. Encrypted workbooks are
/// <c>skipped: encrypted</c>. Stateless and thread-safe.
/// </summary>
internal sealed class XlsExtractor : IExtractor
{
    private static readonly byte[] Ole2Magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    static XlsExtractor()
    {
        // BIFF5 and older store text in Windows code pages; registering the provider is idempotent.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <inheritdoc />
    public string Name => "xls";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
    {
        if (!head.StartsWith(Ole2Magic))
        {
            return false;
        }

        var names = Ole2DirectoryNames(head);
        if (names.Contains("Workbook") || names.Contains("Book"))
        {
            return true;
        }

        if (names.Overlaps(["WordDocument", "PowerPoint Document", "EncryptedPackage", "EncryptionInfo"]))
        {
            return false;
        }

        // The Workbook entry may sit in a later directory sector that is still within the head.
        if (head.IndexOf("W\0o\0r\0k\0b\0o\0o\0k\0"u8) >= 0)
        {
            return true;
        }

        // The directory lies beyond the head: only the extension can tell.
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".xls" or ".xlt" or ".xla" or ".xlw";
    }

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var stream = await context.GetSeekableContentAsync(cancellationToken).ConfigureAwait(false);
        var clock = ItemClock.Start(context);
        IExcelDataReader reader;
        try
        {
            reader = ExcelReaderFactory.CreateBinaryReader(stream, new ExcelReaderConfiguration { LeaveOpen = true });
        }
        catch (InvalidPasswordException)
        {
            context.Skip("encrypted");
            return;
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            context.Skip("corrupt: " + Describe(ex));
            return;
        }

        using (reader)
        {
            context.Detail = "xls";
            var group = 0;
            try
            {
                do
                {
                    context.AddCount("sheets");
                    var rows = new SheetRows(context, reader.Name ?? string.Empty);
                    var rowNumber = 0;
                    var cells = new List<SheetCell>();
                    while (reader.Read())
                    {
                        rowNumber++;
                        if (rowNumber % 256 == 0 && clock.IsOver(context, cancellationToken))
                        {
                            rows.Finish(ref group);
                            return;
                        }

                        cells.Clear();
                        for (var column = 0; column < reader.FieldCount; column++)
                        {
                            var text = CellText(reader, column, out var isString);
                            if (!string.IsNullOrWhiteSpace(text))
                            {
                                cells.Add(new SheetCell(column, text.Trim(), isString));
                            }
                        }

                        rows.Add(rowNumber, cells, ref group);
                    }

                    rows.Finish(ref group);
                }
                while (reader.NextResult());
            }
            catch (Exception ex) when (IsDamage(ex))
            {
                context.MarkPartial("corrupt: " + Describe(ex));
            }
        }
    }

    private static string? CellText(IExcelDataReader reader, int column, out bool isString)
    {
        var value = reader.GetValue(column);
        isString = value is string;
        return value switch
        {
            null => null,
            string text => text,
            DateTime date => date.TimeOfDay == TimeSpan.Zero
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            TimeSpan time => time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
            double number => NumberFormat.Format(number, reader.GetNumberFormatString(column), date1904: false),
            bool flag => flag ? "TRUE" : "FALSE",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    private static bool IsDamage(Exception ex) => ex is ExcelReaderException or InvalidDataException or EndOfStreamException
        || (ex is ArgumentException or IndexOutOfRangeException or NotSupportedException or InvalidOperationException
                or OverflowException or InvalidCastException or NullReferenceException
            && ex.StackTrace?.Contains("ExcelDataReader", StringComparison.Ordinal) == true);

    private static string Describe(Exception ex) => ex switch
    {
        HeaderException => "not a BIFF workbook",
        CompoundDocumentException => "damaged compound file",
        EndOfStreamException or ArgumentOutOfRangeException or IndexOutOfRangeException => "truncated workbook",
        _ => "unreadable workbook",
    };

    /// <summary>
    /// Names of the entries in the OLE2 directory's first sector when that sector lies within the head; empty
    /// when it does not.
    /// </summary>
    internal static HashSet<string> Ole2DirectoryNames(ReadOnlySpan<byte> head)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (head.Length < 512)
        {
            return names;
        }

        var sectorShift = BitConverter.ToUInt16(head[0x1E..]);
        var firstDirectorySector = BitConverter.ToInt32(head[0x30..]);
        if (sectorShift is < 9 or > 16 || firstDirectorySector < 0)
        {
            return names;
        }

        var sectorSize = 1 << sectorShift;
        var start = (long)(firstDirectorySector + 1) * sectorSize;
        if (start + sectorSize > head.Length)
        {
            return names;
        }

        for (var entry = 0; entry < sectorSize / 128; entry++)
        {
            var offset = (int)start + (entry * 128);
            var length = BitConverter.ToUInt16(head[(offset + 0x40)..]);
            if (length is >= 2 and <= 64)
            {
                names.Add(Encoding.Unicode.GetString(head.Slice(offset, length - 2)));
            }
        }

        return names;
    }
}
