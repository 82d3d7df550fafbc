import type { ReactNode } from "react";
import { matchPath, type RouteParams } from "./router";
import { Home } from "./pages/Home";
import { ChannelPage } from "./pages/Channel";
import { AuthPage } from "./pages/Auth";
import { Dashboard, dashboardTab } from "./pages/dashboard/Dashboard";
import { SponsorshipsPage } from "./pages/Sponsorships";
import { Settings } from "./pages/settings/Settings";
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from "./pages/Account";
import { CategoriesPage, CategoryPage } from "./pages/Categories";
import { VideoPage } from "./pages/VideoPage";
import { ClipPage } from "./pages/ClipPage";
import { AdminPage, adminTab } from "./pages/admin/Admin";
import { TagPage } from "./pages/Tags";
import { FollowersPage, FollowingPage } from "./pages/FollowPages";

interface Route {
  /** See matchPath: literal segments, ":name" for one segment, a final "*" for any rest. */
  path: string;
  /** Rendered only once we know who is signed in (the page differs for a signed-in user). */
  needsMe?: boolean;
  /** `path` is the whole current path: pages keyed by it start afresh when it changes. */
  render: (params: RouteParams, path: string) => ReactNode;
}

/**
 * The client's pages, first match wins. The Api answers every other extensionless path with
 * index.html (Api/Hosting/WebClientFallback.cs), so each of these can be opened directly; a
 * single segment nothing else claims is a channel.
 */
const routes: readonly Route[] = [
  { path: "/", render: () => <Home /> },
  { path: "/app/", render: () => <Home /> },
  { path: "/app/index.html", render: () => <Home /> },
  { path: "/signup", render: () => <AuthPage mode="signup" /> },
  { path: "/login", render: () => <AuthPage mode="login" /> },
  { path: "/settings/*", needsMe: true, render: (_, path) => <Settings path={path} /> },
  { path: "/verify-email", needsMe: true, render: () => <VerifyEmailPage /> },
  { path: "/forgot-password", render: () => <ForgotPasswordPage /> },
  { path: "/reset-password", render: () => <ResetPasswordPage /> },
  { path: "/dashboard/*", needsMe: true, render: (_, path) => <Dashboard tab={dashboardTab(path)} /> },
  { path: "/sponsorships", needsMe: true, render: () => <SponsorshipsPage /> },
  { path: "/categories", render: () => <CategoriesPage /> },
  { path: "/admin/*", needsMe: true, render: (_, path) => <AdminPage tab={adminTab(path)} /> },
  { path: "/videos/:id/*", render: ({ id }, path) => <VideoPage key={path} id={id} /> },
  { path: "/clips/:id/*", render: ({ id }, path) => <ClipPage key={path} id={id} /> },
  { path: "/c/:slug/*", render: ({ slug }, path) => <CategoryPage key={path} slug={slug} /> },
  { path: "/t/:tag/*", render: ({ tag }, path) => <TagPage key={path} tag={tag} /> },
  { path: "/following", needsMe: true, render: () => <FollowingPage /> },
  { path: "/:username/followers", render: ({ username }, path) => <FollowersPage key={path} username={username} /> },
  { path: "/:username/followers/", render: ({ username }, path) => <FollowersPage key={path} username={username} /> },
  { path: "/:username/*", render: ({ username }, path) => <ChannelPage key={path} username={username} /> },
];

/** The page for `path`; `loading` stands in for pages that wait for the signed-in user. */
export function routePage(path: string, meLoaded: boolean, loading: ReactNode): ReactNode {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params === null) continue;
    return route.needsMe && !meLoaded ? loading : route.render(params, path);
  }
  return null; // not reached: "/:username/*" matches every path
}
