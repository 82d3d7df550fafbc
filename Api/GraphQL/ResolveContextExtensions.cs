using GraphQL;
using WgStream.Api.Auth;

namespace WgStream.Api.GraphQL;

public static class ResolveContextExtensions
{
    public static WgUserContext WgUser(this IResolveFieldContext context) => (WgUserContext)context.UserContext;
}
