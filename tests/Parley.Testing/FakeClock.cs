using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Testing;

/// <summary>Runs code that waits on a <see cref="FakeTimeProvider"/>, moving the fake clock forward until it finishes.</summary>
public static class FakeClock
{
    /// <remarks>
    /// Runs on the thread pool, outside the test framework's synchronization context, so that the continuations a
    /// fake timer releases run inline during <see cref="FakeTimeProvider.Advance"/>: elapsed fake times are exact.
    /// <para>
    /// With <paramref name="limit"/> the fake clock stops there and the code under test finishes in real time: a test
    /// that asserts when a timer fired then sees that exact time, however slowly a busy machine runs the continuations.
    /// </para>
    /// </remarks>
    public static Task<T> DriveAsync<T>(FakeTimeProvider time, Func<Task<T>> start, TimeSpan? step = null, TimeSpan? limit = null) => Task.Run(async () =>
    {
        var task = start();
        var advance = step ?? TimeSpan.FromMilliseconds(100);
        var advanced = TimeSpan.Zero;
        var realTime = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (realTime.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new TimeoutException("The code under test did not finish within 5 s of real time.");
            }

            if (limit is null || advanced < limit)
            {
                var next = limit is null ? advance : TimeSpan.FromTicks(Math.Min(advance.Ticks, (limit.Value - advanced).Ticks));
                time.Advance(next);
                advanced += next;
            }

            await Task.Delay(1);
        }

        return await task;
    });

    public static Task DriveAsync(FakeTimeProvider time, Func<Task> start, TimeSpan? step = null, TimeSpan? limit = null) =>
        DriveAsync(time, async () => { await start(); return true; }, step, limit);
}
