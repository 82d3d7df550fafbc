using Microsoft.AspNetCore.SignalR;

namespace WgStream.Api.Chat;

/// <summary>
/// SignalR's dispatcher logs every exception a hub method throws at Error, including the
/// <see cref="HubException"/> that carries a refusal (<c>NOT_FOUND: No such channel.</c>) to its
/// caller, so any client sending bad ids could fill the error log. This filter logs refusals at
/// Debug and real failures at Error itself; the dispatcher's own category is raised to Critical
/// (<see cref="DispatcherCategory"/>) so nothing is logged twice.
/// </summary>
public sealed partial class ChatHubErrorLogging(ILogger<ChatHubErrorLogging> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException e)
        {
            LogRefused(logger, invocationContext.HubMethodName, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw; // the caller went away
        }
        catch (Exception e)
        {
            LogFailed(logger, e, invocationContext.HubMethodName);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub method {Method} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method);
}
