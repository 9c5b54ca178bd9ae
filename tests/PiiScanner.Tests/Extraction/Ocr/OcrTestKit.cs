using System.Globalization;
using PiiScanner.Tests.Shared;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Extraction.Ocr;

/// <summary>
/// Whether the OCR tools are here: outside CI a missing tool skips the test with a message; in CI (env CI set)
/// .ci/run installs them, so a missing one fails the test.
/// </summary>
internal static class OcrTestKit
{
    public static bool Have(ITestOutputHelper output)
    {
        var missing = new[] { "tesseract", "pdftoppm", "pdftocairo" }.Where(t => ScannedForms.Which(t) is null).ToList();
        if (!File.Exists(ScannedForms.FontPath))
        {
            missing.Add(ScannedForms.FontPath);
        }

        if (missing.Count == 0)
        {
            return true;
        }

        var message = "missing: " + string.Join(", ", missing)
            + " (apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils fonts-dejavu-core; .ci/run installs them)";
        MissingTool.SkipOrFail(output, message);
        return false;
    }

    /// <summary>The form's date of birth as findings write it (ISO).</summary>
    public static string IsoDob(FormPerson person)
        => DateOnly.ParseExact(person.Dob, "MM/dd/yyyy", CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
