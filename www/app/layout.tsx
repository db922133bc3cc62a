import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'OpsMantik Pulse — demo dashboard' };
export const viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <h1>Command Center</h1>
          <span className="muted site-name">Demo Clinic Istanbul</span>
          <nav aria-label="Pages">
            <a href="/">Dashboard</a>
            <a href="/devtools">Devtools</a>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
