using System.Data.Common;
using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Infrastructure.Database;

/// <summary>
/// Turns a transient database failure escaping a grain call (Npgsql's <c>IsTransient</c>: a refused
/// or dropped connection, an exhausted pool, SQLSTATE classes 08, 40, 53, 57P) into a
/// <see cref="DatabaseUnavailableException"/>, so the client is told to try again
/// (<c>UNAVAILABLE</c>, 503) instead of <c>INTERNAL</c>. The original goes to this silo's log;
/// anything else passes through untouched.
/// </summary>
public sealed partial class TransientDatabaseFailureFilter(ILogger<TransientDatabaseFailureFilter> logger) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        // Nearly every call completes synchronously or succeeds: no state machine for those.
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? Task.CompletedTask : AwaitAsync(call, context);
    }

    /// <summary>True when <paramref name="exception"/> or one it wraps is a database failure worth retrying.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    private async Task AwaitAsync(Task call, IIncomingGrainCallContext context)
    {
        try
        {
            await call;
        }
        catch (Exception e) when (IsTransient(e))
        {
            LogTransient(e, context.InterfaceName, context.MethodName);
            throw new DatabaseUnavailableException();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} failed on a transient database error; the caller is told to try again")]
    private partial void LogTransient(Exception exception, string @interface, string method);
}
