// Test kits shared across feature folders: the cluster and Api fixtures, accounts, drift helpers (Infrastructure),
// the browser fixture (Web), the chat grain kit (Chat), and the browser helpers some pages share (Accounts, Admin).
global using WgStream.Tests.Accounts;
global using WgStream.Tests.Admin;
global using WgStream.Tests.Chat;
global using WgStream.Tests.Infrastructure;
global using WgStream.Tests.Web;
