using GraphQL.Execution;
using WgStream.Api.Auth;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace WgStream.Api.GraphQL;

/// <summary>
/// How many values one query or mutation may resolve (<see cref="GraphQLOptions.MaxResultNodes"/>).
/// The static limits see the document, not the data: <c>__schema { types { fields { type { fields … } } } }</c>
/// is a dozen selections that multiply out to millions of values. The execution strategies count
/// every node they execute, list items included, and the first one past the budget cancels the
/// operation, so no answer costs more to build than the budget allows.
/// </summary>
public sealed class ResultBudget(int maxNodes, CancellationToken requestAborted) : IDisposable
{
    private readonly CancellationTokenSource cancellation = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    private int nodes;

    /// <summary>What the execution runs under: the request's own cancellation, or the budget running out.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>Whether the budget ran out (rather than the client going away).</summary>
    public bool Exceeded { get; private set; }

    public void Count()
    {
        if (Interlocked.Increment(ref nodes) == maxNodes + 1)
        {
            Exceeded = true;
            cancellation.Cancel();
        }
    }

    public void Dispose() => cancellation.Dispose();

    /// <summary>The budget of the operation this execution context runs, if it has one.</summary>
    public static ResultBudget? Of(ExecutionContext context) => (context.UserContext as WgUserContext)?.Budget;
}

/// <summary>graphql-dotnet's parallel strategy (queries), counting nodes against the <see cref="ResultBudget"/>.</summary>
public sealed class BudgetedParallelExecutionStrategy : ParallelExecutionStrategy
{
    protected override Task ExecuteNodeAsync(ExecutionContext context, ExecutionNode node)
    {
        ResultBudget.Of(context)?.Count();
        return base.ExecuteNodeAsync(context, node);
    }
}

/// <summary>graphql-dotnet's serial strategy (mutations), counting nodes against the <see cref="ResultBudget"/>.</summary>
public sealed class BudgetedSerialExecutionStrategy : SerialExecutionStrategy
{
    protected override Task ExecuteNodeAsync(ExecutionContext context, ExecutionNode node)
    {
        ResultBudget.Of(context)?.Count();
        return base.ExecuteNodeAsync(context, node);
    }
}
