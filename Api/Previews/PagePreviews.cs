using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Options;

namespace WgStream.Api.Previews;

/// <summary>
/// Finds the preview of a client page: matches the path against each resolver's route (parsed once)
/// and asks the one that matches, within <see cref="PreviewOptions.ResolveTimeout"/>. A failure or a
/// timeout is logged and the page is served without a preview.
/// </summary>
public sealed partial class PagePreviews
{
    private readonly IReadOnlyList<(TemplateMatcher Matcher, IPagePreviewResolver Resolver)> routes;
    private readonly IOptions<PreviewOptions> options;
    private readonly ILogger<PagePreviews> logger;

    public PagePreviews(IEnumerable<IPagePreviewResolver> resolvers, IOptions<PreviewOptions> options, ILogger<PagePreviews> logger)
    {
        this.options = options;
        this.logger = logger;
        routes = resolvers
            .Select(r => (Template: TemplateParser.Parse(r.Route), Resolver: r))
            .OrderByDescending(r => r.Template.Segments.Count(s => s.IsSimple && s.Parts[0].IsLiteral))
            .Select(r => (new TemplateMatcher(r.Template, new RouteValueDictionary()), r.Resolver))
            .ToList();
    }

    public async Task<PagePreview?> ResolveAsync(PathString path, CancellationToken cancellationToken)
    {
        foreach (var (matcher, resolver) in routes)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(path, values))
            {
                continue;
            }

            try
            {
                return await resolver.ResolveAsync(values, cancellationToken).WaitAsync(options.Value.ResolveTimeout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogResolveFailed(e, resolver.Route);
                return null;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The link preview for a page of route {Route} could not be read; served without one")]
    private partial void LogResolveFailed(Exception exception, string route);
}
