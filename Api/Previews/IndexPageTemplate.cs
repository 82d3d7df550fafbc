using System.Text;

namespace WgStream.Api.Previews;

/// <summary>
/// The web client's built <c>index.html</c>, split once around its <c>&lt;title&gt;</c> and before
/// <c>&lt;/head&gt;</c>, so a page with a preview is the cached parts joined with an escaped title and
/// the meta tags: no parsing per request. Read again only when the file changes (a new client build:
/// its size or time differs), which costs one file-status check per request, as serving the file did.
/// </summary>
public sealed class IndexPageTemplate(IWebHostEnvironment environment)
{
    public const string IndexFile = "app/index.html";

    private volatile IndexPage? page;

    /// <summary>The parsed page, or null when the client is not built.</summary>
    public async Task<IndexPage?> GetAsync(CancellationToken cancellationToken)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(IndexFile);
        if (!file.Exists)
        {
            return null;
        }

        var current = page;
        if (current is not null && current.LastModified == file.LastModified && current.Length == file.Length)
        {
            return current;
        }

        string html;
        await using (var stream = file.CreateReadStream())
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            html = await reader.ReadToEndAsync(cancellationToken);
        }

        // Two requests racing on a new build both parse it; either result is the same page.
        var fresh = IndexPage.Parse(html, file.LastModified, file.Length);
        page = fresh;
        return fresh;
    }
}

/// <summary>index.html in three parts: up to its title, from after the title to <c>&lt;/head&gt;</c>, and the rest.</summary>
public sealed class IndexPage
{
    private readonly string beforeTitle;
    private readonly string beforeHeadEnd;
    private readonly string rest;

    private IndexPage(byte[] original, string beforeTitle, string beforeHeadEnd, string rest, DateTimeOffset lastModified, long length)
    {
        Original = original;
        this.beforeTitle = beforeTitle;
        this.beforeHeadEnd = beforeHeadEnd;
        this.rest = rest;
        LastModified = lastModified;
        Length = length;
    }

    /// <summary>The file as built: what pages without a preview get.</summary>
    public byte[] Original { get; }

    public DateTimeOffset LastModified { get; }

    public long Length { get; }

    /// <summary>Whether the page has the title and head the previews go into (a Vite build always has).</summary>
    public bool CanPreview => beforeHeadEnd.Length > 0 || rest.Length > 0;

    public static IndexPage Parse(string html, DateTimeOffset lastModified, long length)
    {
        var original = Encoding.UTF8.GetBytes(html);
        var titleStart = html.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
        var titleEnd = titleStart < 0 ? -1 : html.IndexOf("</title>", titleStart, StringComparison.OrdinalIgnoreCase);
        var headEnd = titleEnd < 0 ? -1 : html.IndexOf("</head>", titleEnd, StringComparison.OrdinalIgnoreCase);
        if (headEnd < 0)
        {
            // Not a page we can add to: serve it as it is.
            return new IndexPage(original, html, string.Empty, string.Empty, lastModified, length);
        }

        var afterTitle = titleEnd + "</title>".Length;
        return new IndexPage(original, html[..titleStart], html[afterTitle..headEnd], html[headEnd..], lastModified, length);
    }

    /// <summary>The page with <paramref name="escapedTitle"/> as its title and <paramref name="escapedMeta"/> before &lt;/head&gt;; both already escaped.</summary>
    public byte[] Render(string escapedTitle, string escapedMeta)
    {
        if (!CanPreview)
        {
            return Original;
        }

        var html = new StringBuilder(beforeTitle.Length + beforeHeadEnd.Length + rest.Length + escapedTitle.Length + escapedMeta.Length + 16)
            .Append(beforeTitle).Append("<title>").Append(escapedTitle).Append("</title>")
            .Append(beforeHeadEnd).Append(escapedMeta).Append(rest);
        return Encoding.UTF8.GetBytes(html.ToString());
    }
}
