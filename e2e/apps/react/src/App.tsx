import { useState } from 'react'
import { pageParam } from '../../shared/chaos.js'
import { DownloadProgress } from './DownloadProgress.js'
import { useEvents } from './events.js'
import { Profile } from './Profile.js'
import { TanStack } from './TanStack.js'

/** The React fixture app; the spec drives it with its buttons. */
export function App() {
  const key = pageParam('key', 'react')
  const [profile, setProfile] = useState<string>()
  const events = useEvents()
  return (
    <>
      <h1>volley e2e — React</h1>
      <section>
        <h2>Load on mount, abort on unmount</h2>
        <button onClick={() => setProfile('/json')}>Show profile</button>
        <button onClick={() => setProfile(`/concurrency?ms=60000&key=${key}`)}>Show slow profile</button>
        <button onClick={() => setProfile(undefined)}>Hide profile</button>
        {profile && <Profile path={profile} />}
      </section>
      <section>
        <h2>Download progress</h2>
        <DownloadProgress bytes={400_000} />
      </section>
      <section>
        <h2>TanStack Query</h2>
        <TanStack tag={`${key}-tq`} />
      </section>
      <section>
        <h2>Events</h2>
        <ol aria-label="events">
          {events.map((event, i) => (
            <li key={i}>{event}</li>
          ))}
        </ol>
      </section>
    </>
  )
}
