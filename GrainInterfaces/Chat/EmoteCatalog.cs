namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// The platform's global emotes, typed as <c>:name:</c>. The images ship with the web client under
/// <c>/emotes/</c>. Channels' own emotes (uploaded by their owners) are in <c>Emotes/</c>; their
/// names can never be one of these (see <c>EmoteRules</c>).
/// </summary>
public static class EmoteCatalog
{
    /// <summary>In the order pickers show them.</summary>
    private static readonly string[] Ordered = ["wgHype", "wgLove", "wgGG", "wgLol", "wgWave", "wgPog"];

    private static readonly HashSet<string> Global = new(Ordered, StringComparer.Ordinal);

    public static string? ImageUrl(string name) => Global.Contains(name) ? $"/emotes/{name}.svg" : null;

    public static IReadOnlyList<string> Names => Ordered;
}
