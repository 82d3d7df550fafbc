using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace WgStream.Api.Previews;

/// <summary>
/// Writes a preview as Open Graph and Twitter card tags. Every value is user text (display names,
/// stream titles, bios) and goes into a double-quoted attribute or the title element, so each is
/// HTML-encoded: quotes, angle brackets and ampersands become entities and nothing can close the
/// attribute or open a tag. Other letters stay as they are (readable, and any UTF-8 is fine here).
/// </summary>
public static class PreviewMetaTags
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string text) => Encoder.Encode(text);

    /// <summary>The document title for a preview: its headline and the site's name.</summary>
    public static string Title(PagePreview preview, string siteName) => Encode($"{preview.Title} - {siteName}");

    public static string Render(PagePreview preview, string siteName, string baseUrl)
    {
        var url = baseUrl.TrimEnd('/') + preview.Path;
        var html = new StringBuilder(1024).Append('\n');
        Meta(html, "name", "description", preview.Description);
        Link(html, "canonical", url);
        Meta(html, "property", "og:site_name", siteName);
        Meta(html, "property", "og:type", preview.Type);
        Meta(html, "property", "og:url", url);
        Meta(html, "property", "og:title", preview.Title);
        Meta(html, "property", "og:description", preview.Description);
        Meta(html, "name", "twitter:card", preview.Image is { Large: true } ? "summary_large_image" : "summary");
        Meta(html, "name", "twitter:title", preview.Title);
        Meta(html, "name", "twitter:description", preview.Description);
        if (preview.Image is { } image)
        {
            var src = Absolute(image.Url, baseUrl);
            Meta(html, "property", "og:image", src);
            Meta(html, "property", "og:image:width", image.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Meta(html, "property", "og:image:height", image.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Meta(html, "property", "og:image:alt", image.Alt);
            Meta(html, "name", "twitter:image", src);
            Meta(html, "name", "twitter:image:alt", image.Alt);
        }

        if (preview.Video is { } video)
        {
            var src = Absolute(video.Url, baseUrl);
            Meta(html, "property", "og:video", src);
            if (src.StartsWith("https://", StringComparison.Ordinal))
            {
                Meta(html, "property", "og:video:secure_url", src);
            }

            Meta(html, "property", "og:video:type", video.ContentType);
            Meta(html, "property", "og:video:width", video.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Meta(html, "property", "og:video:height", video.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return html.ToString();
    }

    /// <summary>Media URLs may be paths on this site (the local store's <c>/media/…</c>); previews need absolute ones.</summary>
    public static string Absolute(string url, string baseUrl) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
            ? absolute.AbsoluteUri
            : baseUrl.TrimEnd('/') + "/" + url.TrimStart('/');

    private static void Meta(StringBuilder html, string kind, string name, string content) =>
        html.Append("    <meta ").Append(kind).Append("=\"").Append(name).Append("\" content=\"").Append(Encode(content)).Append("\" />\n");

    private static void Link(StringBuilder html, string rel, string href) =>
        html.Append("    <link rel=\"").Append(rel).Append("\" href=\"").Append(Encode(href)).Append("\" />\n");
}
