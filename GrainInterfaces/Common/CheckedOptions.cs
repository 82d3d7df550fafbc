using Microsoft.Extensions.Options;

namespace WgStream.GrainInterfaces.Common;

/// <summary>Options that can say what is wrong with them, each problem by the setting's name.</summary>
public interface ICheckedOptions
{
    IEnumerable<string> Problems();
}

/// <summary>
/// Fails start-up with every problem <see cref="ICheckedOptions.Problems"/> reports, rather than one
/// generic failure. Register with <c>TryAddEnumerable</c> so a co-hosting Api that registers a
/// section twice still checks it once.
/// </summary>
public sealed class CheckedOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, ICheckedOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
