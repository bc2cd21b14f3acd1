import { initial } from '../lib/format';

const COLORS = ['#f6c945', '#8fc1e3', '#f29e9e', '#a3d9a5', '#c5a3e6', '#f4b183'];

export function Avatar({ name, id }: { name: string; id: number }) {
  return (
    <div class="avatar" style={{ background: COLORS[id % COLORS.length] }} aria-hidden="true">
      {initial(name)}
    </div>
  );
}
