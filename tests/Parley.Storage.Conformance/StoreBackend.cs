using Microsoft.Extensions.Time.Testing;
using Parley.Core.Calendar;
using Parley.Core.Conversations;
using Parley.Core.FineTuning;
using Parley.Core.Runs;

namespace Parley.Storage.Conformance;

/// <summary>
/// One empty database of one backend (a SQLite file, a PostgreSQL database) that the conformance tests open stores on.
/// Stores it opens are disposed with it, then the database is removed.
/// </summary>
public abstract class StoreBackend : IAsyncDisposable
{
    private readonly List<object> _opened = [];

    /// <summary>The clock the stores use unless a test gives another.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    /// <summary>What the store's messages name the database by (a file path, a database name).</summary>
    public abstract string Location { get; }

    /// <summary>Opens a conversation store on the database; each call gives a new store (its own connections).</summary>
    public IConversationStore OpenConversationStore(TimeProvider? time = null) => Track(CreateConversationStore(time ?? Time));

    /// <summary>Opens a calendar store on the database.</summary>
    public ICalendarStore OpenCalendarStore() => Track(CreateCalendarStore());

    /// <summary>Opens a run store on the database.</summary>
    public IRunStore OpenRunStore() => Track(CreateRunStore());

    /// <summary>Opens a fine-tuning store on the database; each call gives a new store (its own connections), as another server would.</summary>
    public IFineTuningStore OpenFineTuningStore(TimeProvider? time = null) => Track(CreateFineTuningStore(time ?? Time));

    /// <summary>How many message rows the database holds, read outside the stores.</summary>
    public abstract Task<long> CountMessagesAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        await DropAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    protected abstract IConversationStore CreateConversationStore(TimeProvider time);

    protected abstract ICalendarStore CreateCalendarStore();

    protected abstract IRunStore CreateRunStore();

    protected abstract IFineTuningStore CreateFineTuningStore(TimeProvider time);

    /// <summary>Removes the database.</summary>
    protected abstract ValueTask DropAsync();

    private T Track<T>(T store)
        where T : notnull
    {
        _opened.Add(store);
        return store;
    }
}
