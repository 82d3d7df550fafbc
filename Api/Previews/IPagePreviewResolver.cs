namespace WgStream.Api.Previews;

/// <summary>
/// Describes the pages of one client route for link previews. Register one per route with
/// <c>AddPagePreviewResolver&lt;T&gt;()</c>; <see cref="PagePreviews"/> matches the request path against
/// every <see cref="Route"/> and asks the resolver whose route matched.
/// </summary>
public interface IPagePreviewResolver
{
    /// <summary>
    /// The client route as an ASP.NET Core route template without the leading slash:
    /// <c>{username}</c>, <c>videos/{id}</c>. Routes with more literal segments are tried first.
    /// </summary>
    string Route { get; }

    /// <summary>
    /// The preview of the page the route values name, or null when there is none to show (no such
    /// channel, a hidden one): the page is then served with the site's own title and no preview.
    /// Should cost a grain read or two; <see cref="PreviewOptions.ResolveTimeout"/> bounds it.
    /// </summary>
    Task<PagePreview?> ResolveAsync(RouteValueDictionary values, CancellationToken cancellationToken);
}
