using System.Collections.Generic;

namespace FlyIo.AppModel.Docker;

/// <summary>
/// The simple commands of a RUN or CMD shell script, each as its words (<see cref="ShellWords"/> quoting), the way
/// /bin/sh would see them well enough to read what a Dockerfile installs and starts: commands end at line breaks,
/// ;, &amp;, |, ( and ); a backslash before a line break continues the line. Variables are left as written.
/// </summary>
public static class ShellCommands
{
    public static List<List<string>> Split(string script) => ShellWords.Scan(script, ShellSyntax.Script, out _, out _);
}
