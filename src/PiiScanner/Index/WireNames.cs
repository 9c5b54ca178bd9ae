using System.Reflection;
using System.Text.Json.Serialization;

namespace PiiScanner.Index;

/// <summary>
/// The string the output contract writes for a member of an API enum (<see cref="FileStatus"/>…): the member's
/// <see cref="JsonStringEnumMemberNameAttribute"/>, the one table that <c>files.jsonl</c>, <c>index.db</c>,
/// <c>summary.json</c> and <c>report.html</c> use here and that the journal's <see cref="JsonStringEnumConverter{TEnum}"/>
/// reads for itself.
/// </summary>
internal static class WireName
{
    /// <summary>The output string of <paramref name="value"/>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Table<TEnum>.Names[value];

    /// <summary>The member written as <paramref name="name"/>, or false for a string no member is written as.</summary>
    public static bool TryParse<TEnum>(string name, out TEnum value)
        where TEnum : struct, Enum => Table<TEnum>.Values.TryGetValue(name, out value);

    private static class Table<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Names = Build();

        public static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

        private static Dictionary<TEnum, string> Build()
        {
            var names = new Dictionary<TEnum, string>();
            foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{field.Name} has no output name");
                names.Add((TEnum)field.GetValue(null)!, name);
            }

            return names;
        }
    }
}
