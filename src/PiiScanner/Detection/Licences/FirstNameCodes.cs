namespace PiiScanner.Detection.Licences;

/// <summary>
/// The first-name and middle-initial tables of the Florida / Illinois / Wisconsin licence numbers
/// (the published "FFF" coding: a first-name code that is a multiple of 20 plus a middle-initial code 0–19).
/// </summary>
internal static class FirstNameCodes
{
    private static readonly Dictionary<string, int> Names = new(StringComparer.Ordinal)
    {
        ["ALBERT"] = 20, ["ALICE"] = 20,
        ["ANN"] = 40, ["ANNA"] = 40, ["ANNE"] = 40, ["ANNIE"] = 40, ["ARTHUR"] = 40,
        ["BERNARD"] = 80, ["BETTE"] = 80, ["BETTIE"] = 80, ["BETTY"] = 80,
        ["CARL"] = 120, ["CATHERINE"] = 120,
        ["CHARLES"] = 140, ["CLARA"] = 140,
        ["DONALD"] = 180, ["DOROTHY"] = 180, ["DORTHY"] = 180,
        ["EDWARD"] = 220, ["ELIZABETH"] = 220,
        ["FLORENCE"] = 260, ["FRANK"] = 260,
        ["GEORGE"] = 300, ["GRACE"] = 300,
        ["HAROLD"] = 340, ["HARRIET"] = 340,
        ["HARRY"] = 360, ["HAZEL"] = 360,
        ["HELEN"] = 380, ["HENRY"] = 380,
        ["JAMES"] = 440, ["JANE"] = 440, ["JAYNE"] = 440,
        ["JEAN"] = 460, ["JOHN"] = 460,
        ["JOAN"] = 480, ["JOSEPH"] = 480,
        ["MARGARET"] = 560, ["MARTIN"] = 560,
        ["MARVIN"] = 580, ["MARY"] = 580,
        ["MELVIN"] = 600, ["MILDRED"] = 600,
        ["PATRICIA"] = 680, ["PAUL"] = 680,
        ["RICHARD"] = 740, ["RUBY"] = 740,
        ["ROBERT"] = 760, ["RUTH"] = 760,
        ["THELMA"] = 820, ["THOMAS"] = 820,
        ["WALTER"] = 900, ["WANDA"] = 900,
        ["WILLIAM"] = 920, ["WILMA"] = 920,
    };

    // Codes for a first name not in the table, by its initial.
    private static readonly int[] Initials =
    [
        0, 60, 100, 160, 200, 240, 280, 320, 400, 420, 500, 520, 540, // A–M
        620, 640, 660, 700, 720, 780, 800, 840, 860, 880, 940, 960, 980, // N–Z
    ];

    // Middle initial codes A–Z; no middle initial is 0.
    private static readonly int[] Middles =
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, // A–M
        14, 14, 15, 15, 16, 17, 18, 18, 18, 19, 19, 19, 19, // N–Z
    ];

    /// <summary>The code of an upper-case first name (letters only), or -1 when it has no letters.</summary>
    public static int First(string upperLetters)
    {
        if (upperLetters.Length == 0)
        {
            return -1;
        }

        return Names.TryGetValue(upperLetters, out var code) ? code : Initials[upperLetters[0] - 'A'];
    }

    /// <summary>The code of a middle initial (upper-case A–Z), 0 for none.</summary>
    public static int Middle(char? initial) => initial is >= 'A' and <= 'Z' ? Middles[initial.Value - 'A'] : 0;
}
