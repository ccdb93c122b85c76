using System.Security.Cryptography;
using System.Text;

namespace AnalyticsService.Storage;

public static class LoginTokens
{
    /// <summary>Meteor's login-token hash (Accounts._hashLoginToken): what is stored, never the token itself.</summary>
    public static string Hash(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
