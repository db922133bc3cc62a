import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'OpsMantik Pulse — demo dashboard' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <h1>OpsMantik · Command Center</h1>
          <span className="muted">opsmantik-pulse demo</span>
          <nav>
            <a href="/">Dashboard</a>
            <a href="/devtools">Devtools</a>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
