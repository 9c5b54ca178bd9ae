using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Tests.Detection;

/// <summary>
/// A plain line detected from its characters (<see cref="DetectionScope.DetectLine"/>, which skips the lines where the
/// one pass finds nothing) gives exactly the findings the same line gives as a segment, with the lines around it.
/// </summary>
public sealed class LineScreenTests
{
    private const string Text = """
        2024-03-01T22:17:06.053Z INFO  [gateway-6] req=61335378-d6b1-a8f8-048a-4b162edda9c8 ip=10.54.237.73 method=GET status=200
        2024-03-01T22:17:06.945Z INFO  [gateway-6] trace=30fb5136799512c0 bytes=215772 took=766.66ms
        2024-03-01T22:17:07.784Z INFO  job finished job=306937f4 attempt=2 elapsed=3944ms id=123456789
        2024-03-01T22:17:08.027Z WARN  charge 4111 1111 1111 1111 declined, call (406) 555-0142 or write to a.b@example.com

        Social Security Number
        234-56-7802
        Reference #
        345-67-8903

        Jane Q. Sample
        4782 Tamarack Rd
        Flagstaff, AZ 86001

        Marisol Quintero
        12 Oak St
        Helena, MT 59601
        The committee reviewed the quarterly budget and agreed to revisit the proposal at the next meeting of the board.
        Ana Ruiz (03/04/1961) was seen today; her number on file is 456789014 and her SSN 123-45-6701 is wrong.
        Patient Name
        Tomas Quist
        Dr. Okafor reviewed the chart; payment 2019-04-05 of 15,000 for order 912-70-1234 (ticket 456-78-9014).
        """;

    [Fact]
    public void ScreenedLinesFindWhatSegmentsFind()
    {
        var engine = DetectionFixture.FullEngine;
        var asSegments = Detect(engine, screened: false, out _);
        var screened = Detect(engine, screened: true, out var lines);

        Assert.True(asSegments.Count >= 8, DetectionFixture.Describe(asSegments));
        Assert.Equal(asSegments, screened);
        Assert.True(lines > 0);
    }

    // The lines as the text extractor hands them out: a group per paragraph, the label of a "Label: value" line.
    private static List<Finding> Detect(DetectionEngine engine, bool screened, out int plainLines)
    {
        var findings = new List<Finding>();
        var scope = engine.BeginItem();
        var (group, number, used) = (1, 0, false);
        plainLines = 0;
        foreach (var line in Text.Split('\n'))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                group += used ? 1 : 0;
                used = false;
                continue;
            }

            used = true;
            var label = LabelValue.FindLabel(line);
            if (screened && label is null)
            {
                plainLines++;
                scope.DetectLine(line, Locator.Line(number), group, findings);
            }
            else
            {
                scope.Detect(new Segment(Locator.Line(number), line) { Label = label, Group = group }, findings);
            }
        }

        return findings;
    }
}
