using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy.Secrets;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>FlySecret items as the deploy library reads them.</summary>
internal static class SecretItems
{
    public static IReadOnlyList<SecretRequest> From(ITaskItem[] items, string projectFile) => items.Select(item =>
    {
        // The item's own project file (a Directory.Build.props, say) is where a fix goes.
        var definedIn = item.GetMetadata("DefiningProjectFullPath");
        return new SecretRequest(
            item.ItemSpec.Trim(),
            item.GetMetadata("Value"),
            item.GetMetadata("FromEnvironment").Trim(),
            string.Equals(item.GetMetadata("Unset").Trim(), "true", StringComparison.OrdinalIgnoreCase),
            string.IsNullOrEmpty(definedIn) ? projectFile : definedIn);
    }).ToList();
}
