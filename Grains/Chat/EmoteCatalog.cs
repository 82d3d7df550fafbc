namespace WgStream.Grains.Chat;

/// <summary>
/// The platform's global emotes, typed as <c>:name:</c>. The images ship with the web client under
/// <c>/emotes/</c>; channel-specific emotes (uploaded by streamers) extend this set later.
/// </summary>
public static class EmoteCatalog
{
    private static readonly HashSet<string> Global = new(StringComparer.Ordinal)
    {
        "wgHype", "wgLove", "wgGG", "wgLol", "wgWave", "wgPog",
    };

    public static string? ImageUrl(string name) => Global.Contains(name) ? $"/emotes/{name}.svg" : null;

    public static IReadOnlyCollection<string> Names => Global;
}
