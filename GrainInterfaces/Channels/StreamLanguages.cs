using System.Collections.Frozen;

namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// The languages a channel can say it streams in: ISO 639-1 codes with each language's own name.
/// One list for the dashboard's choice (<c>streamLanguages</c>), the rule that checks an owner's
/// choice and the directory's filter, so a code the directory can be asked for is always one an
/// owner could pick. Clients show names in their own language (the web client uses
/// <c>Intl.DisplayNames</c>); the native name is there for those that cannot.
/// </summary>
public static class StreamLanguages
{
    public static readonly IReadOnlyList<StreamLanguage> All =
    [
        new("en", "English"), new("uk", "Українська"), new("de", "Deutsch"), new("fr", "Français"), new("es", "Español"),
        new("it", "Italiano"), new("pt", "Português"), new("pl", "Polski"), new("cs", "Čeština"), new("sk", "Slovenčina"),
        new("ro", "Română"), new("hu", "Magyar"), new("bg", "Български"), new("hr", "Hrvatski"), new("sr", "Српски"),
        new("sl", "Slovenščina"), new("lt", "Lietuvių"), new("lv", "Latviešu"), new("et", "Eesti"), new("nl", "Nederlands"),
        new("sv", "Svenska"), new("no", "Norsk"), new("da", "Dansk"), new("fi", "Suomi"), new("el", "Ελληνικά"),
        new("tr", "Türkçe"), new("ka", "ქართული"), new("kk", "Қазақ тілі"), new("be", "Беларуская"), new("ru", "Русский"),
        new("ar", "العربية"), new("he", "עברית"), new("hi", "हिन्दी"), new("ja", "日本語"), new("ko", "한국어"),
        new("zh", "中文"), new("th", "ไทย"), new("vi", "Tiếng Việt"), new("id", "Bahasa Indonesia"), new("ms", "Bahasa Melayu"),
    ];

    private static readonly FrozenSet<string> Codes = All.Select(l => l.Code).ToFrozenSet(StringComparer.Ordinal);

    public static bool Contains(string code) => Codes.Contains(code);
}

/// <summary>A language a channel can stream in: its ISO 639-1 code and its own name for itself.</summary>
public sealed record StreamLanguage(string Code, string NativeName);
