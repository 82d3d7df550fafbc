using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors.Custom;
using GraphQLParser.Exceptions;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Shapes every error as <c>{ message, locations, path, extensions: { code, ... } }</c> with one of
/// our stable codes. Unexpected exceptions never show their text: it is logged, the client gets
/// <c>INTERNAL</c>.
/// </summary>
public sealed class WgErrorInfoProvider : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        var extensions = new Dictionary<string, object?>();
        string message;
        if (Find<WgException>(executionError) is { } refusal)
        {
            message = refusal.Message;
            extensions["code"] = refusal.Code;
            if (refusal.Field is not null)
            {
                extensions["field"] = refusal.Field;
            }

            if (refusal.RetryAt is { } retryAt)
            {
                extensions["retryAt"] = retryAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                extensions["retryAfterSeconds"] = Math.Max(1, (int)Math.Ceiling((retryAt - DateTimeOffset.UtcNow).TotalSeconds));
            }
        }
        else if (executionError is ComplexityError)
        {
            message = executionError.Message;
            extensions["code"] = ErrorCodes.QueryTooComplex;
        }
        else if (executionError is TimeoutError)
        {
            message = "The operation took too long and was stopped; ask for less, or try again.";
            extensions["code"] = ErrorCodes.Timeout;
        }
        else if (executionError is ValidationError or DocumentError or InvalidVariableError
                 || executionError.InnerException is GraphQLSyntaxErrorException)
        {
            message = executionError.Message;
            extensions["code"] = ErrorCodes.BadUserInput;
        }
        else if (executionError is UnhandledError && IsClusterFailure(executionError.InnerException))
        {
            // A grain call that did not get an answer (a silo failing over, a timeout): nothing the
            // client did wrong, and retrying shortly is the right move.
            message = "The service is briefly unavailable; try again.";
            extensions["code"] = ErrorCodes.Unavailable;
        }
        else if (executionError is UnhandledError)
        {
            message = "Something went wrong on our side; it has been logged.";
            extensions["code"] = ErrorCodes.Internal;
        }
        else
        {
            message = executionError.Message;
            extensions["code"] = executionError.Code is { } code && IsStable(code) ? code : ErrorCodes.Internal;
        }

        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    private static bool IsStable(string code) => code is ErrorCodes.Unauthenticated or ErrorCodes.Forbidden
        or ErrorCodes.BadUserInput or ErrorCodes.NotFound or ErrorCodes.RateLimited or ErrorCodes.Internal or ErrorCodes.Unavailable or ErrorCodes.Busy or ErrorCodes.Conflict
        or ErrorCodes.PersistedQueryNotFound or ErrorCodes.PersistedQueryRequired
        or ErrorCodes.QueryTooComplex or ErrorCodes.ResponseTooLarge or ErrorCodes.Timeout or ErrorCodes.IntrospectionDisabled;

    private static bool IsClusterFailure(Exception? e) => e is TimeoutException or OrleansException;

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
