using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// Whether a folder is a Python or a Node app. What the image runs decides first (a Python API may keep a
/// package.json for its front-end tooling); then the manifests; then loose .py files.
/// </summary>
internal static class StandaloneLanguage
{
    private static readonly HashSet<string> PythonPrograms = new(StringComparer.Ordinal)
    {
        "uvicorn", "gunicorn", "hypercorn", "flask", "manage.py", "daphne",
    };

    private static readonly HashSet<string> NodePrograms = new(StringComparer.Ordinal)
    {
        "node", "npm", "yarn", "pnpm", "fastify", "nodemon", "ts-node", "tsx",
    };

    private static readonly string[] PythonManifests = { "requirements.txt", "pyproject.toml", "Pipfile", "manage.py" };

    public static string? Detect(string folder, IReadOnlyList<ServerInvocation> invocations)
    {
        foreach (var invocation in invocations)
        {
            if (invocation.ViaPython || PythonPrograms.Contains(invocation.Program))
            {
                return StandaloneFrameworks.Python;
            }

            if (NodePrograms.Contains(invocation.Program))
            {
                return StandaloneFrameworks.Node;
            }
        }

        if (PythonManifests.Any(name => File.Exists(Path.Combine(folder, name))))
        {
            return StandaloneFrameworks.Python;
        }

        if (File.Exists(Path.Combine(folder, "package.json")))
        {
            return StandaloneFrameworks.Node;
        }

        return AppFiles.TopLevel(folder, "*.py").Any() ? StandaloneFrameworks.Python : null;
    }
}
