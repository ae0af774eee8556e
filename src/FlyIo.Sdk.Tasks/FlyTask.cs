using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// What every Fly task is: a thin adapter from MSBuild to the libraries. It owns the cancellation source, so
/// Cancel() (Ctrl+C in a build) reaches the token every library call takes, and the source is disposed when the
/// task ends, however it ends; and it holds the one log the libraries report through.
/// </summary>
public abstract class FlyTask : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private bool _ended;
    private MsBuildFlyLog? _flyLog;

    protected FlyTask()
    {
        CancellationToken = _cancellation.Token;
    }

    /// <summary>Cancelled by <see cref="Cancel"/>; taken by every library call that does I/O or waits.</summary>
    protected CancellationToken CancellationToken { get; }

    protected bool Cancelled => CancellationToken.IsCancellationRequested;

    /// <summary>Progress, detail and diagnostics, as MSBuild output prefixed with the task's name.</summary>
    private protected MsBuildFlyLog FlyLog => _flyLog ??= new MsBuildFlyLog(Log, Name);

    /// <summary>"FlyDeploy", "FlyValidate"...: the prefix of every line this task logs.</summary>
    protected string Name => GetType().Name;

    public void Cancel()
    {
        // MSBuild may cancel from another thread at any moment, also after the task ended and disposed the source.
        lock (_cancellation)
        {
            if (!_ended)
            {
                _cancellation.Cancel();
            }
        }
    }

    public sealed override bool Execute()
    {
        try
        {
            return Run() && !Cancelled;
        }
        finally
        {
            lock (_cancellation)
            {
                _ended = true;
                _cancellation.Dispose();
            }
        }
    }

    /// <summary>The task's work; true when it succeeded. A cancelled task fails whatever this returns.</summary>
    protected abstract bool Run();
}
