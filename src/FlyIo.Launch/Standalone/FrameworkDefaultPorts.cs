using System.Collections.Generic;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// The port a server or framework listens on when nothing says otherwise: the last resort, with a reason that says
/// it is a default. The server the image starts wins over the framework (Flask under gunicorn listens on 8000).
/// </summary>
internal static class FrameworkDefaultPorts
{
    public static PortFinding? Find(IReadOnlyList<ServerInvocation> invocations, string? framework)
    {
        foreach (var invocation in invocations)
        {
            var server = invocation.Program switch
            {
                "uvicorn" => new PortFinding(8000, "uvicorn's default port"),
                "gunicorn" => new PortFinding(8000, "gunicorn's default port"),
                "hypercorn" => new PortFinding(8000, "hypercorn's default port"),
                "flask" => new PortFinding(5000, "flask run's default port"),
                "manage.py" => new PortFinding(8000, "Django's runserver default port"),
                "fastify" => new PortFinding(3000, "fastify-cli's default port"),
                _ => null,
            };

            if (server is not null)
            {
                return server;
            }
        }

        return framework switch
        {
            StandaloneFrameworks.FastApi => new PortFinding(8000, "FastAPI's uvicorn default port"),
            StandaloneFrameworks.Flask => new PortFinding(5000, "Flask's app.run default port"),
            StandaloneFrameworks.Django => new PortFinding(8000, "Django's runserver default port"),
            StandaloneFrameworks.Express => new PortFinding(3000, "Express's conventional port"),
            StandaloneFrameworks.Fastify => new PortFinding(3000, "Fastify's conventional port"),
            _ => null,
        };
    }
}
