namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// The scheduled deletion of one deactivated account, keyed by user id: a durable Orleans reminder
/// due at the deadline, which sends the "account deleted" notice and erases the account's personal
/// data. Steps are idempotent, so a tick cut short by a crash is finished by the next one.
/// </summary>
public interface IAccountDeletionGrain : IGrainWithGuidKey
{
    Task ScheduleAsync(DateTimeOffset deletionAt);

    /// <summary>The owner signed in again: no deletion.</summary>
    Task CancelAsync();

    /// <summary>Runs the deletion now if it is due (what the reminder does); true when the account was erased.</summary>
    Task<bool> RunAsync();
}
